import {
  AbortedError,
  BulkheadRejectedError,
  CircuitOpenError,
  ConfigurationError,
  InputValidationError,
  SecurityError,
  TimeoutError,
  UnknownOperationError,
} from '@aiecs/core';
import { BrokenCircuitError, BulkheadRejectedError as CockatielBulkheadRejected, IsolatedCircuitError } from 'cockatiel';

const NEVER_RETRIED = [
  InputValidationError,
  SecurityError,
  AbortedError,
  CircuitOpenError,
  BulkheadRejectedError,
  UnknownOperationError,
  ConfigurationError,
  BrokenCircuitError,
  IsolatedCircuitError,
  CockatielBulkheadRejected,
];

/**
 * Whether a second try could succeed. Never: the caller's own mistakes (validation, security),
 * the caller's abort, fail-fast rejections (open circuit, full bulkhead), a passed call deadline,
 * or an error that says `retryable: false`.
 */
export function isRetryable(error: unknown): boolean {
  if (NEVER_RETRIED.some((type) => error instanceof type)) return false;
  if (error instanceof TimeoutError) return error.scope === 'attempt';
  return (error as { retryable?: unknown } | null)?.retryable !== false;
}
