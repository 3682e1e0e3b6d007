/**
 * The fixed order of the concerns, outermost first, whatever the textual order of the decorators.
 * A cache hit returns at `cacheLookup` (its key is computed over the raw input, and an entry exists
 * only for an input that passed `validate` and `sanitize` before), so no policy runs on a hit.
 */
export const PIPELINE_ORDER = [
  'instrument', // counts requests and failures; maps errors to ToolExecutionError
  'cacheLookup', // @CacheResult: return a hit
  'validate', // @ValidateInput
  'sanitize', // @Sanitize
  'fallback', // @Fallback: a value instead of a failure (never cached)
  'deadline', // overall deadline (timeoutMs, context.deadlineMs) and caller signal, retries included
  'singleFlight', // concurrent identical misses share one execution
  'cacheStore', // store a success
  'bulkhead', // @Bulkhead
  'circuitBreaker', // @CircuitBreaker
  'retry', // @Retry (or the tool's retryAttempts)
  'attemptTimeout', // @Timeout, per attempt
  'customPolicies', // @UsePolicy
  'measure', // @MeasureTime
  'invoke', // the method, with its ToolContext
] as const;

/** Name of a pipeline stage. */
export type StageName = (typeof PIPELINE_ORDER)[number];
