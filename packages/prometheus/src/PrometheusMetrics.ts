import { ConfigurationError } from '@aiecs/core';
import type {
  AttemptEndedEvent,
  BulkheadRejectedEvent,
  UntrustedOutputEvent,
  CacheErrorEvent,
  CacheEvent,
  CacheStore,
  CallEndedEvent,
  CircuitStateEvent,
  FallbackEvent,
  MetricsSnapshot,
  RetryEvent,
  TimeoutEvent,
  ToolEventListener,
} from '@aiecs/executor';
import { Gauge, Histogram, Registry } from 'prom-client';
import { DeferredCounter } from './deferredCounter';
import { CIRCUIT_STATES, DEFAULT_DURATION_BUCKETS, METRIC_NAMES } from './metricNames';
import { childOf, SeriesTable } from './operationSeries';
import { registerWorkerPoolGauges, type InvokerStatsSource } from './workerPoolGauges';

/** Options of {@link PrometheusMetrics}. */
export interface PrometheusMetricsOptions {
  /**
   * Where the metrics are registered. Default: a new `Registry` of this listener's own, so two apps (or
   * tests) in one process never collide and prom-client's global registry stays the user's. Pass
   * `register` (prom-client's global one) to expose them next to the default Node metrics.
   */
  readonly registry?: Registry;
  /** Prepended to every metric name (`myapp_` → `myapp_tool_executions_total`); default none, the seeds' names. */
  readonly prefix?: string;
  /** Buckets of the two duration histograms, in seconds (default 1 ms … 30 s). */
  readonly durationBuckets?: readonly number[];
}

/** What {@link PrometheusMetrics.observe} reads at scrape time: an `App` fits. */
export interface ObservedApp {
  /**
   * `invokerStats()`: the worker pool's load (`ToolRuntime.invokerStats()`); absent or `undefined` without a
   * pool. `existingInvoker()`: the invoker itself, so one shared by several observed apps is counted once.
   */
  readonly runtime: InvokerStatsSource['runtime'] & { readonly cache: CacheStore };
  getMetrics(): Readonly<Record<string, MetricsSnapshot>>;
}

const PREFIX = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function checkOptions(options: PrometheusMetricsOptions): void {
  if (options === null || typeof options !== 'object') throw new ConfigurationError('prometheus', options, 'expected an options object');
  if (options.registry !== undefined && !(options.registry instanceof Registry)) {
    throw new ConfigurationError(
      'registry',
      options.registry,
      'expected a prom-client Registry (of the prom-client this package resolves)',
    );
  }
  if (options.prefix !== undefined && options.prefix !== '' && !PREFIX.test(options.prefix)) {
    throw new ConfigurationError('prefix', options.prefix, 'expected a Prometheus name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)');
  }
  const buckets = options.durationBuckets;
  if (
    buckets !== undefined &&
    (!Array.isArray(buckets) ||
      buckets.length === 0 ||
      buckets.some((b, i) => !(Number.isFinite(b) && b > 0 && (i === 0 || b > buckets[i - 1]!))))
  ) {
    throw new ConfigurationError('durationBuckets', buckets, 'expected increasing positive numbers of seconds');
  }
}

/**
 * Prometheus metrics of tool calls (prom-client), fed by the runtime's events: subscribe it like any
 * listener (`createApp({ listeners: [metrics] })` or `app.subscribe(metrics)`); no stage knows about it.
 * `observe(app)` adds what is read at scrape time rather than counted: the cache store's size, every
 * circuit's state and the worker pool's load (`worker_pool_*`, from the app's invoker). See {@link METRIC_NAMES} for the series.
 *
 * @example
 * ```ts
 * const metrics = new PrometheusMetrics();
 * await using app = createApp({ tools: [FileTool], listeners: [metrics] });
 * metrics.observe(app);
 * await using server = await serveMetrics(metrics.registry, { port: 9464 }); // GET http://127.0.0.1:9464/metrics
 * ```
 */
export class PrometheusMetrics implements ToolEventListener {
  /** The registry the metrics are in (the one passed in, or a new one). */
  readonly registry: Registry;
  /** It reads `callEnded`'s duration (for `tool_duration_seconds`). */
  readonly timings = true;

  private readonly series: SeriesTable;
  private readonly toolErrors: DeferredCounter;
  private readonly timeouts: DeferredCounter;
  private readonly cacheErrors: DeferredCounter;
  private readonly circuit: Gauge<string>;
  private readonly observed = new Set<ObservedApp>();

  constructor(options: PrometheusMetricsOptions = {}) {
    checkOptions(options);
    const registry = (this.registry = options.registry ?? new Registry());
    const prefix = options.prefix ?? '';
    const taken = Object.values(METRIC_NAMES)
      .map((name) => prefix + name)
      .find((name) => registry.getSingleMetric(name) !== undefined);
    if (taken !== undefined) {
      throw new ConfigurationError(
        'registry',
        taken,
        'already holds this metric: use one PrometheusMetrics per registry (subscribe it to every app), or a prefix',
      );
    }
    const registers = [registry];
    const buckets = [...(options.durationBuckets ?? DEFAULT_DURATION_BUCKETS)];
    const counter = (name: string, help: string, labelNames: string[]): DeferredCounter =>
      new DeferredCounter({ name: prefix + name, help, labelNames, registers });
    const byOperation = ['tool_name', 'operation'];
    this.toolErrors = counter(METRIC_NAMES.toolErrors, 'Failed tool calls by the code of the error the caller received', [
      'tool_name',
      'error_type',
    ]);
    this.timeouts = counter(METRIC_NAMES.timeoutErrors, 'Deadlines that passed: a whole call (scope=call) or one attempt (scope=attempt)', [
      ...byOperation,
      'scope',
    ]);
    this.cacheErrors = counter(
      METRIC_NAMES.cacheErrors,
      'Cache store reads (get) or writes (set) that failed; the call went on without the cache',
      [...byOperation, 'action'],
    );
    this.series = new SeriesTable({
      executions: counter(
        METRIC_NAMES.toolExecutions,
        'Tool calls that settled (cache hits, failures and refused calls included)',
        byOperation,
      ),
      toolDuration: new Histogram({
        name: prefix + METRIC_NAMES.toolDuration,
        help: 'Duration of a tool call, cache hits included, in seconds',
        labelNames: ['tool_name'],
        buckets,
        registers,
      }),
      toolCacheHits: counter(METRIC_NAMES.toolCacheHits, 'Tool calls answered from the cache', ['tool_name']),
      toolErrors: this.toolErrors,
      cacheHits: counter(METRIC_NAMES.cacheHits, 'Cache hits', byOperation),
      cacheMisses: counter(METRIC_NAMES.cacheMisses, 'Cache misses: the method ran (a failing cache store counts as a miss)', byOperation),
      cacheErrors: this.cacheErrors,
      operationDuration: new Histogram({
        name: prefix + METRIC_NAMES.operationDuration,
        help: 'Duration of one attempt of an operation (the method body), in seconds',
        labelNames: byOperation,
        buckets,
        registers,
      }),
      retries: counter(METRIC_NAMES.retryAttempts, 'Retries that started', byOperation),
      timeouts: this.timeouts,
      bulkheadRejections: counter(METRIC_NAMES.bulkheadRejections, 'Calls refused by a full bulkhead', byOperation),
      fallbacks: counter(METRIC_NAMES.fallbacks, 'Failures answered by @Fallback', byOperation),
      untrustedOutputs: counter(METRIC_NAMES.untrustedOutputs, 'Results flagged by the output screen as instruction-like', byOperation),
    });
    const observed = this.observed;
    new Gauge({
      name: prefix + METRIC_NAMES.cacheSize,
      help: 'Entries in the cache store of each observed app, read from the store at scrape time',
      registers,
      async collect() {
        const sizes = await Promise.all([...observed].map((app) => storeEntries(app.runtime.cache)));
        const known = sizes.filter((size): size is number => size !== undefined);
        if (known.length > 0) this.set(known.reduce((a, b) => a + b, 0));
      },
    });
    this.circuit = new Gauge({
      name: prefix + METRIC_NAMES.circuitState,
      help: "Circuit breaker state: 1 for the operation's current state, 0 for the others",
      labelNames: [...byOperation, 'state'],
      registers,
      collect() {
        for (const app of observed) {
          for (const [tool, snapshot] of Object.entries(app.getMetrics())) {
            for (const [operation, counters] of Object.entries(snapshot.byOperation))
              if (counters.circuit !== undefined) setCircuit(this, tool, operation, counters.circuit);
          }
        }
      },
    });
    registerWorkerPoolGauges(observed, prefix, registers);
  }

  /**
   * Reads `app`'s cache size, circuit states and worker-pool load at every scrape (until the returned function is called).
   * Counting needs only the subscription; this adds the gauges that are states, not events.
   */
  observe(app: ObservedApp): () => void {
    if (app === null || typeof app !== 'object' || typeof app.getMetrics !== 'function')
      throw new ConfigurationError('observe', app, 'expected an App (from createApp)');
    this.observed.add(app);
    return () => void this.observed.delete(app);
  }

  readonly callEnded = (e: CallEndedEvent): void => {
    const series = this.series.of(e.tool, e.operation);
    series.executions.inc();
    if (!Number.isNaN(e.durationMs)) series.toolDuration.observe(e.durationMs / 1000);
    if (e.outcome === 'failure') {
      const type = e.errorCode ?? 'UNKNOWN';
      childOf(series.errors, type, () => this.toolErrors.child(e.tool, type)).inc();
    }
  };

  readonly cacheHit = (e: CacheEvent): void => {
    const series = this.series.of(e.tool, e.operation);
    series.cacheHits.inc();
    series.toolCacheHits.inc();
  };

  readonly cacheMiss = (e: CacheEvent): void => this.series.of(e.tool, e.operation).cacheMisses.inc();

  readonly cacheError = (e: CacheErrorEvent): void =>
    childOf(this.series.of(e.tool, e.operation).cacheErrors, e.action, () => this.cacheErrors.child(e.tool, e.operation, e.action)).inc();

  readonly attemptEnded = (e: AttemptEndedEvent): void =>
    this.series.of(e.tool, e.operation).operationDuration.observe(e.durationMs / 1000);

  readonly retry = (e: RetryEvent): void => this.series.of(e.tool, e.operation).retries.inc();

  readonly timeout = (e: TimeoutEvent): void =>
    childOf(this.series.of(e.tool, e.operation).timeouts, e.scope, () => this.timeouts.child(e.tool, e.operation, e.scope)).inc();

  readonly circuitStateChanged = (e: CircuitStateEvent): void => setCircuit(this.circuit, e.tool, e.operation, e.state);

  readonly bulkheadRejected = (e: BulkheadRejectedEvent): void => this.series.of(e.tool, e.operation).bulkheadRejections.inc();

  readonly fallbackUsed = (e: FallbackEvent): void => this.series.of(e.tool, e.operation).fallbacks.inc();
  readonly untrustedOutput = (e: UntrustedOutputEvent): void => this.series.of(e.tool, e.operation).untrustedOutputs.inc();
}

/** Sets the circuit gauge of one operation: 1 for `state`, 0 for the other states. */
function setCircuit(gauge: Gauge<string>, tool: string, operation: string, state: string): void {
  for (const name of CIRCUIT_STATES) gauge.labels(tool, operation, name).set(name === state ? 1 : 0);
}

/** The store's entry count, when it can tell; a store that fails to tell is left out of this scrape. */
async function storeEntries(store: CacheStore): Promise<number | undefined> {
  try {
    const stats = await store.getMemoryStats?.();
    return stats?.entries;
  } catch {
    return undefined;
  }
}
