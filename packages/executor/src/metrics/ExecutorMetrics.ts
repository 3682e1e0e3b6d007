import type { CallEndedEvent, ToolEventListener } from '../events/ToolEvents';

/** Counters of one operation. Mutated in place by the metrics listener; read through `snapshot()`. */
export interface OperationCounters {
  /** Calls, cache hits included. */
  requests: number;
  /** Calls that ended in an error. */
  failures: number;
  cacheHits: number;
  cacheMisses: number;
  /** Cache store reads or writes that failed (the call went on without the cache). */
  cacheErrors: number;
  /** Retries that started. */
  retries: number;
  /** Call and attempt deadlines that passed. */
  timeouts: number;
  /** Results the output screen flagged as instruction-like (reported, refused or wrapped). */
  untrustedOutputs: number;
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
  readonly cacheErrors: number;
  readonly retries: number;
  readonly timeouts: number;
  readonly untrustedOutputs: number;
  /** Mean measured duration over all operations (ms). */
  readonly avgProcessingTimeMs: number;
  readonly byOperation: Readonly<Record<string, OperationMetrics>>;
}

const newCounters = (): OperationCounters => ({
  requests: 0,
  failures: 0,
  cacheHits: 0,
  cacheMisses: 0,
  cacheErrors: 0,
  retries: 0,
  timeouts: 0,
  untrustedOutputs: 0,
  measured: 0,
  totalMs: 0,
  maxMs: 0,
});

const SUMMED = [
  'requests',
  'failures',
  'cacheHits',
  'cacheMisses',
  'cacheErrors',
  'retries',
  'timeouts',
  'untrustedOutputs',
  'measured',
  'totalMs',
] as const;

/** A tool's counters, one record per operation, fed by the tool's events (it is one event listener among others). */
export class ExecutorMetrics implements ToolEventListener {
  /** Counts calls; never reads their durations (so they need not be timed for it). */
  readonly timings = false;
  private readonly byOperation = new Map<string, OperationCounters>();

  // Hits and misses are counted from `callEnded.cache` rather than from `cacheHit`/`cacheMiss`: with no
  // other listener of those, a hit then builds and delivers one event fewer. A store failure (`error`)
  // went on as a miss, and counts as one (besides `cacheErrors`).
  readonly callEnded = (e: CallEndedEvent): void => {
    const counters = this.countersFor(e.operation);
    counters.requests++;
    if (e.outcome === 'failure') counters.failures++;
    if (e.cache === 'hit') counters.cacheHits++;
    else if (e.cache === 'miss' || e.cache === 'error') counters.cacheMisses++;
  };
  readonly cacheError = (e: { operation: string }): void => void this.countersFor(e.operation).cacheErrors++;
  readonly retry = (e: { operation: string }): void => void this.countersFor(e.operation).retries++;
  readonly timeout = (e: { operation: string }): void => void this.countersFor(e.operation).timeouts++;
  readonly untrustedOutput = (e: { operation: string }): void => void this.countersFor(e.operation).untrustedOutputs++;
  readonly attemptMeasured = (e: { operation: string; durationMs: number }): void => {
    const counters = this.countersFor(e.operation);
    counters.measured++;
    counters.totalMs += e.durationMs;
    if (e.durationMs > counters.maxMs) counters.maxMs = e.durationMs;
  };

  // Calls of one operation come in runs: the last counters looked up answer most events without a Map lookup.
  private lastOperation: string | undefined = undefined;
  private lastCounters: OperationCounters | undefined = undefined;

  /** The live counters of `operation` (created on first use). */
  countersFor(operation: string): OperationCounters {
    if (operation === this.lastOperation) return this.lastCounters!;
    let counters = this.byOperation.get(operation);
    if (!counters) this.byOperation.set(operation, (counters = newCounters()));
    this.lastOperation = operation;
    return (this.lastCounters = counters);
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
    this.lastOperation = this.lastCounters = undefined;
  }
}

function average(counters: OperationCounters): number {
  return counters.measured === 0 ? 0 : counters.totalMs / counters.measured;
}
