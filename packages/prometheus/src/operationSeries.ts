import type { Histogram } from 'prom-client';
import type { DeferredCounter, PendingCount } from './deferredCounter';

/**
 * The labelled children one (tool, operation) pair writes to, resolved once: counters count in plain numbers
 * flushed at scrape time (see `DeferredCounter`); the histograms' children bind their label values.
 */
export interface OperationSeries {
  readonly executions: PendingCount;
  readonly toolDuration: Histogram.Internal<string>;
  readonly toolCacheHits: PendingCount;
  readonly cacheHits: PendingCount;
  readonly cacheMisses: PendingCount;
  readonly operationDuration: Histogram.Internal<string>;
  readonly retries: PendingCount;
  readonly bulkheadRejections: PendingCount;
  readonly fallbacks: PendingCount;
  readonly untrustedOutputs: PendingCount;
  /** `tool_errors_total` children by error type (few: the framework's codes). */
  readonly errors: Map<string, PendingCount>;
  /** `timeout_errors_total` children by scope. */
  readonly timeouts: Map<string, PendingCount>;
  /** `cache_errors_total` children by action. */
  readonly cacheErrors: Map<string, PendingCount>;
}

/** The metrics an {@link OperationSeries} is cut from. */
export interface SeriesMetrics {
  readonly executions: DeferredCounter;
  readonly toolDuration: Histogram<string>;
  readonly toolCacheHits: DeferredCounter;
  readonly toolErrors: DeferredCounter;
  readonly cacheHits: DeferredCounter;
  readonly cacheMisses: DeferredCounter;
  readonly cacheErrors: DeferredCounter;
  readonly operationDuration: Histogram<string>;
  readonly retries: DeferredCounter;
  readonly timeouts: DeferredCounter;
  readonly bulkheadRejections: DeferredCounter;
  readonly fallbacks: DeferredCounter;
  readonly untrustedOutputs: DeferredCounter;
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
      executions: m.executions.child(tool, operation),
      toolDuration: m.toolDuration.labels(tool),
      toolCacheHits: m.toolCacheHits.child(tool),
      cacheHits: m.cacheHits.child(tool, operation),
      cacheMisses: m.cacheMisses.child(tool, operation),
      operationDuration: m.operationDuration.labels(tool, operation),
      retries: m.retries.child(tool, operation),
      bulkheadRejections: m.bulkheadRejections.child(tool, operation),
      fallbacks: m.fallbacks.child(tool, operation),
      untrustedOutputs: m.untrustedOutputs.child(tool, operation),
      errors: new Map(),
      timeouts: new Map(),
      cacheErrors: new Map(),
    };
  }
}
