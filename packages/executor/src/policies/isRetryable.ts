import { errorKind, isErrorKind, type ErrorKind } from '@aiecs/core';
import { BrokenCircuitError, BulkheadRejectedError, IsolatedCircuitError } from 'cockatiel';

/** A tool's own classification (its `classifyError` option): a kind to decide, `undefined` for the built-in table. */
export type ErrorClassifier = (error: unknown) => ErrorKind | undefined;

/**
 * Whether a second try could succeed: only errors whose kind is `transient`. The kind is what
 * `classifyError` (a tool's override) says, when it returns one of the four kinds; otherwise
 * `errorKind(error)`, core's table (`RETRY_CLASSIFICATION`): not the caller's mistakes or aborts and HTTP
 * 4xx (`caller`), policy refusals such as an open circuit, a full bulkhead or a passed call deadline
 * (`rejected`), defects such as `ENOENT` or a `TypeError` (`internal`), nor an error that says
 * `retryable: false`. cockatiel's own refusals (from a `@UsePolicy` policy) are never retried, whatever
 * the classifier says.
 */
export function isRetryable(error: unknown, classifyError?: ErrorClassifier): boolean {
  if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError || error instanceof BulkheadRejectedError) return false;
  return classifiedKind(error, classifyError) === 'transient';
}

/** `classifyError(error)` when it gives a kind, else `errorKind(error)`. */
export function classifiedKind(error: unknown, classifyError?: ErrorClassifier): ErrorKind {
  if (classifyError !== undefined) {
    const kind: unknown = classifyError(error);
    if (isErrorKind(kind)) return kind;
  }
  return errorKind(error);
}
