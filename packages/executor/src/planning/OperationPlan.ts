import type {
  BulkheadOptions,
  CircuitBreakerOptions,
  PolicySource,
  RunInExecutorOptions,
  SanitizeOptions,
  TimeoutOptions,
  ValidateDeclaration,
} from '@aiecs/core';
import type { RetrySettings } from '../policies/retryWithBackoff';

/** Everything the executor needs to run one operation: declarations, class policies and configuration merged. */
export interface OperationPlan {
  readonly tool: string;
  readonly operation: string;
  readonly validate?: ValidateDeclaration;
  /** Absent when the operation has no `@Sanitize` or security checks are off. */
  readonly sanitize?: SanitizeOptions;
  /** Absent when results are not cached (no `@CacheResult`, cache disabled, or `cacheSize: 0`). */
  readonly cacheTtlMs?: number;
  /** Overall deadline in ms (0 = none). */
  readonly timeoutMs: number;
  readonly retry: RetrySettings;
  readonly attemptTimeout?: TimeoutOptions;
  readonly circuitBreaker?: CircuitBreakerOptions;
  readonly bulkhead?: BulkheadOptions;
  readonly fallback?: { readonly value: unknown };
  readonly policies: readonly PolicySource[];
  /** Time each attempt (`@MeasureTime` or `logExecutionTime`). */
  readonly measure: boolean;
  /** Recorded `@RunInExecutor` options (the operation still runs in-process; see README). */
  readonly runInExecutor?: RunInExecutorOptions;
}
