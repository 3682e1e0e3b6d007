import type { Counter, Histogram } from 'prom-client';

/**
 * The labelled children one (tool, operation) pair writes to, resolved once (prom-client checks and copies the
 * label values on every `labels()`). A child binds its label values, so it stays valid after `resetMetrics()`.
 */
export interface OperationSeries {
  readonly executions: Counter.Internal;
  readonly toolDuration: Histogram.Internal<string>;
  readonly toolCacheHits: Counter.Internal;
  readonly cacheHits: Counter.Internal;
  readonly cacheMisses: Counter.Internal;
  readonly operationDuration: Histogram.Internal<string>;
  readonly retries: Counter.Internal;
  readonly bulkheadRejections: Counter.Internal;
  readonly fallbacks: Counter.Internal;
  /** `tool_errors_total` children by error type (few: the framework's codes). */
  readonly errors: Map<string, Counter.Internal>;
  /** `timeout_errors_total` children by scope. */
  readonly timeouts: Map<string, Counter.Internal>;
  /** `cache_errors_total` children by action. */
  readonly cacheErrors: Map<string, Counter.Internal>;
}

/** The metrics an {@link OperationSeries} is cut from. */
export interface SeriesMetrics {
  readonly executions: Counter<string>;
  readonly toolDuration: Histogram<string>;
  readonly toolCacheHits: Counter<string>;
  readonly toolErrors: Counter<string>;
  readonly cacheHits: Counter<string>;
  readonly cacheMisses: Counter<string>;
  readonly cacheErrors: Counter<string>;
  readonly operationDuration: Histogram<string>;
  readonly retries: Counter<string>;
  readonly timeouts: Counter<string>;
  readonly bulkheadRejections: Counter<string>;
  readonly fallbacks: Counter<string>;
}

/** A child of `map`, made on first use. */
export function childOf<C>(map: Map<string, C>, value: string, make: (value: string) => C): C {
  let child = map.get(value);
  if (child === undefined) map.set(value, (child = make(value)));
  return child;
}

/**
 * The series of each (tool, operation), made on first use. Events of one operation come in runs, so the
 * pair looked up last answers most events without a map lookup (as `ExecutorMetrics` does).
 */
export class SeriesTable {
  private readonly byTool = new Map<string, Map<string, OperationSeries>>();
  private lastTool: string | undefined = undefined;
  private lastOperation: string | undefined = undefined;
  private last: OperationSeries | undefined = undefined;

  constructor(private readonly metrics: SeriesMetrics) {}

  /** The series of `tool`.`operation`. */
  of(tool: string, operation: string): OperationSeries {
    if (tool === this.lastTool && operation === this.lastOperation) return this.last!;
    const operations = childOf(this.byTool, tool, () => new Map<string, OperationSeries>());
    const series = childOf(operations, operation, () => this.make(tool, operation));
    this.lastTool = tool;
    this.lastOperation = operation;
    return (this.last = series);
  }

  private make(tool: string, operation: string): OperationSeries {
    const m = this.metrics;
    return {
      executions: m.executions.labels(tool, operation),
      toolDuration: m.toolDuration.labels(tool),
      toolCacheHits: m.toolCacheHits.labels(tool),
      cacheHits: m.cacheHits.labels(tool, operation),
      cacheMisses: m.cacheMisses.labels(tool, operation),
      operationDuration: m.operationDuration.labels(tool, operation),
      retries: m.retries.labels(tool, operation),
      bulkheadRejections: m.bulkheadRejections.labels(tool, operation),
      fallbacks: m.fallbacks.labels(tool, operation),
      errors: new Map(),
      timeouts: new Map(),
      cacheErrors: new Map(),
    };
  }
}
