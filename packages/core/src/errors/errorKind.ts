import { isAiecsError } from './isAiecsError';

/**
 * What a failure means for whoever decides what to do next (retry, report, fix the call).
 *
 * - `'caller'`: the caller's fault — bad input, a security rule, an unknown operation, the
 *   caller's own abort. Do not retry; fix the call.
 * - `'transient'`: may succeed if tried again — timeouts, network-ish failures.
 * - `'rejected'`: refused by a policy without running — an open circuit, a full bulkhead.
 *   Retry later, not within this call.
 * - `'internal'`: a defect or a misconfiguration. Do not retry.
 */
export type ErrorKind = 'caller' | 'transient' | 'rejected' | 'internal';

const ERROR_KINDS: ReadonlySet<string> = new Set<ErrorKind>(['caller', 'transient', 'rejected', 'internal']);

/** Whether `value` is one of the {@link ErrorKind} strings. */
export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && ERROR_KINDS.has(value);
}

/**
 * The one classifier the rest of the framework reads to decide what a failure means.
 *
 * - an {@link AiecsError} (from any copy of the package, see {@link isAiecsError}) → its `kind`;
 * - any other object that says `retryable: false` → `'internal'`;
 * - anything else → `'transient'`: an unknown error thrown by a method is retried, as before.
 *
 * A later change will classify well-known Node and HTTP errors here (`ECONNRESET`, HTTP 4xx/5xx, …).
 */
export function errorKind(error: unknown): ErrorKind {
  if (isAiecsError(error) && isErrorKind(error.kind)) return error.kind;
  if (typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === false) return 'internal';
  return 'transient';
}
