import { errorKind } from '@aiecs/core';
import { BrokenCircuitError, BulkheadRejectedError, IsolatedCircuitError } from 'cockatiel';

/**
 * Whether a second try could succeed: only errors whose `kind` is `transient` (see `errorKind`).
 * Not the caller's mistakes or aborts (`caller`), policy refusals such as an open circuit, a full
 * bulkhead or a passed call deadline (`rejected`), defects (`internal`), nor an error that says
 * `retryable: false`. cockatiel's own refusals (from a `@UsePolicy` policy) count as `rejected`.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError || error instanceof BulkheadRejectedError) return false;
  return errorKind(error) === 'transient';
}
