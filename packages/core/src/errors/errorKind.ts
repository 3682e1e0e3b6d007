import { isAiecsError } from './isAiecsError';

/**
 * What a failure means for whoever decides what to do next (retry, report, fix the call).
 *
 * - `'caller'`: the caller's fault — bad input, a security rule, an unknown operation, the
 *   caller's own abort, an HTTP 4xx. Do not retry; fix the call.
 * - `'transient'`: may succeed if tried again — timeouts, network failures, HTTP 5xx / 408 / 429.
 * - `'rejected'`: refused by a policy without running — an open circuit, a full bulkhead.
 *   Retry later, not within this call.
 * - `'internal'`: a defect or a misconfiguration — a missing file, a `TypeError`. Do not retry.
 */
export type ErrorKind = 'caller' | 'transient' | 'rejected' | 'internal';

const ERROR_KINDS: ReadonlySet<string> = new Set<ErrorKind>(['caller', 'transient', 'rejected', 'internal']);

/** Whether `value` is one of the {@link ErrorKind} strings. */
export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && ERROR_KINDS.has(value);
}

/** A range of HTTP statuses, both ends included, and the kind of an error that carries one. */
export interface StatusRange {
  readonly from: number;
  readonly to: number;
  readonly kind: ErrorKind;
}

/** The shape of {@link RETRY_CLASSIFICATION}. */
export interface RetryClassification {
  /** A string `code` (Node's `error.code`, undici's `UND_ERR_*`) → kind. */
  readonly codes: Readonly<Record<string, ErrorKind>>;
  /** A numeric HTTP status (`status`, `statusCode`, `response.status`) → kind; wins over {@link statusRanges}. */
  readonly statuses: Readonly<Record<number, ErrorKind>>;
  /** HTTP status ranges → kind, for a status not in {@link statuses}. */
  readonly statusRanges: readonly StatusRange[];
  /** The `name` of a built-in error class (or an instance of it) → kind, when nothing above decided. */
  readonly errorNames: Readonly<Record<string, ErrorKind>>;
}

/**
 * How {@link errorKind} classifies an error that is not an `AiecsError` (plain data, frozen; the README
 * mirrors it). The checks run in this order, the first that decides wins:
 *
 * 1. `retryable: false` → `'internal'`; `retryable: true` → `'transient'` (an explicit word wins over the table);
 * 2. a string `code` in {@link RetryClassification.codes};
 * 3. a numeric `status`, `statusCode` or `response.status` (axios) in {@link RetryClassification.statuses}, else
 *    in a {@link RetryClassification.statusRanges} range;
 * 4. the `cause` chain, each link checked the same way (from 1; an `AiecsError` cause gives its kind): `fetch`
 *    rejects with `TypeError('fetch failed')` whose `cause` has the socket's code (`ECONNREFUSED`, `UND_ERR_SOCKET`);
 * 5. the error's class ({@link RetryClassification.errorNames}): `TypeError`, `RangeError`, … are defects;
 * 6. nothing decided → `'transient'`: an unknown error thrown by a method is retried, as before.
 *
 * `ENOTFOUND` (the DNS answer "no such host") is `'internal'`: it is almost always a wrong host name, and
 * the resolver's temporary failure has its own code, `EAI_AGAIN`. A tool whose resolver is flaky can say
 * otherwise with its `classifyError` option.
 */
export const RETRY_CLASSIFICATION: RetryClassification = deepFreeze({
  codes: {
    // File system and arguments: retrying gives the same answer.
    ENOENT: 'internal',
    EACCES: 'internal',
    EPERM: 'internal',
    EISDIR: 'internal',
    ENOTDIR: 'internal',
    EINVAL: 'internal',
    EEXIST: 'internal',
    ENOTEMPTY: 'internal',
    ENAMETOOLONG: 'internal',
    ELOOP: 'internal',
    EROFS: 'internal',
    ENOTFOUND: 'internal',
    // undici's own refusals: a bad argument or an oversized answer is the same next time.
    UND_ERR_INVALID_ARG: 'internal',
    UND_ERR_INVALID_RETURN_VALUE: 'internal',
    UND_ERR_NOT_SUPPORTED: 'internal',
    UND_ERR_HEADERS_OVERFLOW: 'internal',
    UND_ERR_RES_EXCEEDED_MAX_SIZE: 'internal',
    // Network: the next connection may well work.
    ECONNRESET: 'transient',
    ECONNREFUSED: 'transient',
    ECONNABORTED: 'transient',
    ETIMEDOUT: 'transient',
    EPIPE: 'transient',
    EAI_AGAIN: 'transient',
    EHOSTUNREACH: 'transient',
    EHOSTDOWN: 'transient',
    ENETUNREACH: 'transient',
    ENETDOWN: 'transient',
    // Momentary exhaustion or a busy resource.
    EAGAIN: 'transient',
    EBUSY: 'transient',
    EMFILE: 'transient',
    ENFILE: 'transient',
    // undici (fetch) socket failures and timeouts.
    UND_ERR_SOCKET: 'transient',
    UND_ERR_CONNECT_TIMEOUT: 'transient',
    UND_ERR_HEADERS_TIMEOUT: 'transient',
    UND_ERR_BODY_TIMEOUT: 'transient',
    UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'transient',
  },
  statuses: {
    401: 'internal', // the tool's credentials, not the request
    407: 'internal', // the proxy's credentials
    408: 'transient', // request timeout
    429: 'transient', // too many requests
    501: 'internal', // not implemented: never will be within this call
    505: 'internal', // HTTP version not supported
  },
  statusRanges: [
    { from: 400, to: 499, kind: 'caller' },
    { from: 500, to: 599, kind: 'transient' },
  ],
  errorNames: {
    TypeError: 'internal',
    RangeError: 'internal',
    SyntaxError: 'internal',
    ReferenceError: 'internal',
    EvalError: 'internal',
    URIError: 'internal',
  },
});

/** Causes followed at most (a longer chain is left unclassified rather than walked forever). */
const MAX_CAUSE_DEPTH = 8;

const BUILT_IN_ERRORS: ReadonlyArray<readonly [ErrorConstructor, string]> = [
  [TypeError, 'TypeError'],
  [RangeError, 'RangeError'],
  [SyntaxError, 'SyntaxError'],
  [ReferenceError, 'ReferenceError'],
  [EvalError, 'EvalError'],
  [URIError, 'URIError'],
];

/**
 * The one classifier the rest of the framework reads to decide what a failure means.
 *
 * - an {@link AiecsError} (from any copy of the package, see {@link isAiecsError}) → its `kind`;
 * - anything else → by {@link RETRY_CLASSIFICATION}: `retryable`, Node's and undici's `code`, an HTTP
 *   `status`/`statusCode`, the `cause` chain, the built-in error class, in that order;
 * - nothing recognised → `'transient'`: an unknown error thrown by a method is retried, as before.
 *
 * A tool can override the table for retry with its `classifyError` option.
 */
export function errorKind(error: unknown): ErrorKind {
  return classify(error, 0, []) ?? 'transient';
}

function classify(error: unknown, depth: number, seen: object[]): ErrorKind | undefined {
  if (typeof error !== 'object' || error === null || seen.includes(error)) return undefined;
  if (isAiecsError(error) && isErrorKind(error.kind)) return error.kind;
  seen.push(error);
  let fields: { retryable?: unknown; code?: unknown; status?: unknown; statusCode?: unknown; response?: unknown; cause?: unknown };
  try {
    // Read once, each: a getter (or a Proxy) must not run twice, and one that throws leaves the error unclassified.
    const { retryable, code, status, statusCode, response, cause } = error as typeof fields;
    fields = { retryable, code, status, statusCode, response, cause };
  } catch {
    return undefined;
  }
  if (fields.retryable === false) return 'internal';
  if (fields.retryable === true) return 'transient';
  const { codes } = RETRY_CLASSIFICATION;
  if (typeof fields.code === 'string' && Object.hasOwn(codes, fields.code)) return codes[fields.code];
  const byStatus = statusKind(fields.status) ?? statusKind(fields.statusCode) ?? responseStatusKind(fields.response);
  if (byStatus !== undefined) return byStatus;
  if (depth < MAX_CAUSE_DEPTH) {
    const byCause = classify(fields.cause, depth + 1, seen);
    if (byCause !== undefined) return byCause;
  }
  return builtInKind(error);
}

function responseStatusKind(response: unknown): ErrorKind | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  try {
    return statusKind((response as { status?: unknown }).status);
  } catch {
    return undefined;
  }
}

function statusKind(status: unknown): ErrorKind | undefined {
  if (typeof status !== 'number' || !Number.isInteger(status)) return undefined;
  const table = RETRY_CLASSIFICATION;
  if (Object.hasOwn(table.statuses, status)) return table.statuses[status];
  return table.statusRanges.find((range) => status >= range.from && status <= range.to)?.kind;
}

/** A built-in error class by `instanceof` (subclasses included) or, for one from another realm, by `name`. */
function builtInKind(error: object): ErrorKind | undefined {
  const names = RETRY_CLASSIFICATION.errorNames;
  for (const [cls, name] of BUILT_IN_ERRORS) {
    if (error instanceof cls && Object.hasOwn(names, name)) return names[name];
  }
  if (Object.prototype.toString.call(error) !== '[object Error]') return undefined;
  const { name } = error as { name?: unknown };
  return typeof name === 'string' && Object.hasOwn(names, name) ? names[name] : undefined;
}

function deepFreeze<T extends object>(value: T): T {
  for (const item of Object.values(value)) if (typeof item === 'object' && item !== null) deepFreeze(item);
  return Object.freeze(value);
}
