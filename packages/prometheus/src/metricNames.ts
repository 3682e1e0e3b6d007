/**
 * The metric names this package registers (before the optional prefix), one place for the listener, the
 * shipped dashboard and alerting rules, and their tests. The first four are the seeds' tool-level series,
 * the rest the execution layer's; the `worker_pool_*` ones are read from the apps' invokers at scrape time.
 */
export const METRIC_NAMES = {
  /** Counter `{tool_name, operation}`: calls that settled (hits, failures and refused calls included). */
  toolExecutions: 'tool_executions_total',
  /** Histogram `{tool_name}`: a call's duration, door to settlement, in seconds. */
  toolDuration: 'tool_duration_seconds',
  /** Counter `{tool_name}`: calls answered from the cache. */
  toolCacheHits: 'tool_cache_hits_total',
  /** Counter `{tool_name, error_type}`: failed calls by the code of the error the caller received. */
  toolErrors: 'tool_errors_total',
  /** Counter `{tool_name, operation}`: cache hits. */
  cacheHits: 'cache_hits_total',
  /** Counter `{tool_name, operation}`: cache misses (the method ran; a failing store counts as a miss). */
  cacheMisses: 'cache_misses_total',
  /** Counter `{tool_name, operation, action}`: cache store reads (`get`) or writes (`set`) that failed. */
  cacheErrors: 'cache_errors_total',
  /** Histogram `{tool_name, operation}`: one attempt's duration (the method body), in seconds. */
  operationDuration: 'operation_duration_seconds',
  /** Counter `{tool_name, operation}`: retries that started. */
  retryAttempts: 'retry_attempts_total',
  /** Counter `{tool_name, operation, scope}`: deadlines that passed (`call` or `attempt`). */
  timeoutErrors: 'timeout_errors_total',
  /** Gauge: entries in the cache store of each observed app (read from the store at scrape time). */
  cacheSize: 'cache_size',
  /** Gauge `{tool_name, operation, state}`: 1 for the circuit's current state, 0 for the others. */
  circuitState: 'circuit_breaker_state',
  /** Counter `{tool_name, operation}`: calls refused by a full bulkhead. */
  bulkheadRejections: 'bulkhead_rejections_total',
  /** Counter `{tool_name, operation}`: failures answered by `@Fallback`. */
  fallbacks: 'fallbacks_total',
  /** Counter `{tool_name, operation}`: results the output screen flagged as instruction-like. */
  untrustedOutputs: 'untrusted_outputs_total',
  /** Gauge: worker threads alive now in the observed apps' pools (`Invoker.stats().workers`; 0 without a pool). */
  workerThreads: 'worker_pool_threads',
  /** Gauge: the most threads those pools may run (`maxWorkers`). */
  workerMaxThreads: 'worker_pool_max_threads',
  /** Gauge: method calls waiting for a thread (`queued`). */
  workerQueueSize: 'worker_pool_queue_size',
  /** Gauge: method calls running on a thread now (`running`). */
  workerRunningTasks: 'worker_pool_running_tasks',
  /** Gauge: share of the pools' thread time spent running calls since they started, 0–1 (`utilization`). */
  workerUtilization: 'worker_pool_utilization',
  /** Counter: method calls the pools completed (`completed`, the pools' own total, read at scrape time). */
  workerCompletedTasks: 'worker_pool_completed_tasks_total',
} as const;

/** One of {@link METRIC_NAMES}. */
export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/** Circuit states, in the order the gauge lists them. */
export const CIRCUIT_STATES = ['closed', 'open', 'half-open', 'isolated'] as const;

/** Default buckets of the duration histograms, in seconds: 1 ms to 30 s (tool calls span cache hits to slow APIs). */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
