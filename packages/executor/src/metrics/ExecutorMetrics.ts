/** Counters of one operation. Mutated in place on the hot path; read through `snapshot()`. */
export interface OperationCounters {
  /** Calls, cache hits included. */
  requests: number;
  /** Calls that ended in an error. */
  failures: number;
  cacheHits: number;
  cacheMisses: number;
  /** Attempts after the first. */
  retries: number;
  /** Call and attempt deadlines that passed. */
  timeouts: number;
  /** Attempts timed by `@MeasureTime` (or `logExecutionTime`). */
  measured: number;
  /** Sum of measured durations (ms). */
  totalMs: number;
  /** Largest measured duration (ms). */
  maxMs: number;
}

/** Counters of one operation as reported, with derived figures. */
export interface OperationMetrics extends Readonly<OperationCounters> {
  /** Mean measured duration (ms; 0 when nothing was measured). */
  readonly avgProcessingTimeMs: number;
  /** Circuit breaker state, when the operation has one. */
  readonly circuit?: string;
}

/** What `executor.getMetrics()` returns: totals over all operations, and each operation. */
export interface MetricsSnapshot {
  readonly requests: number;
  readonly failures: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly retries: number;
  readonly timeouts: number;
  /** Mean measured duration over all operations (ms). */
  readonly avgProcessingTimeMs: number;
  readonly byOperation: Readonly<Record<string, OperationMetrics>>;
}

const newCounters = (): OperationCounters => ({
  requests: 0,
  failures: 0,
  cacheHits: 0,
  cacheMisses: 0,
  retries: 0,
  timeouts: 0,
  measured: 0,
  totalMs: 0,
  maxMs: 0,
});

const SUMMED = ['requests', 'failures', 'cacheHits', 'cacheMisses', 'retries', 'timeouts', 'measured', 'totalMs'] as const;

/** The executor's counters, one record per operation. */
export class ExecutorMetrics {
  private readonly byOperation = new Map<string, OperationCounters>();

  /** The live counters of `operation` (created on first use); stages keep the reference. */
  countersFor(operation: string): OperationCounters {
    let counters = this.byOperation.get(operation);
    if (!counters) this.byOperation.set(operation, (counters = newCounters()));
    return counters;
  }

  /** Records one measured duration. */
  static recordDuration(counters: OperationCounters, ms: number): void {
    counters.measured++;
    counters.totalMs += ms;
    if (ms > counters.maxMs) counters.maxMs = ms;
  }

  /** A copy of the counters, with totals and averages; `circuitStates` adds breaker states. */
  snapshot(circuitStates: ReadonlyMap<string, string> = new Map()): MetricsSnapshot {
    const totals = newCounters();
    const byOperation: Record<string, OperationMetrics> = {};
    for (const [operation, counters] of this.byOperation) {
      for (const key of SUMMED) totals[key] += counters[key];
      const circuit = circuitStates.get(operation);
      byOperation[operation] = { ...counters, avgProcessingTimeMs: average(counters), ...(circuit ? { circuit } : {}) };
    }
    const { measured: _m, totalMs: _t, maxMs: _x, ...sums } = totals;
    return { ...sums, avgProcessingTimeMs: average(totals), byOperation };
  }

  /** Sets every counter back to zero. */
  reset(): void {
    this.byOperation.clear();
  }
}

function average(counters: OperationCounters): number {
  return counters.measured === 0 ? 0 : counters.totalMs / counters.measured;
}
