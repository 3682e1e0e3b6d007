import { createApp, MemoryCacheStore, type App, type CacheMemoryStats, type CacheStore } from '@aiecs/executor';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { register } from 'prom-client';
import { PrometheusMetrics, serveMetrics, type MetricsServer } from '../src';
import { OrdersTool } from './toolsUnderTest';

/** The in-memory store, telling its entry count (what `cache_size` reads at scrape time). */
class CountingStore implements CacheStore {
  readonly acceptsRawKeys = true;
  private readonly inner = new MemoryCacheStore({ maxSize: 100, defaultTtlMs: 60_000 });
  get(key: string): unknown {
    return this.inner.get(key);
  }
  set(key: string, value: unknown, ttlMs: number): void {
    this.inner.set(key, value, ttlMs);
  }
  delete(key: string): void {
    this.inner.delete(key);
  }
  clear(prefix?: string): void {
    this.inner.clear(prefix);
  }
  close(): void {
    this.inner.close();
  }
  getMemoryStats(): CacheMemoryStats {
    return { entries: this.inner.size, approxBytes: 0, ttlEntries: this.inner.size };
  }
}

const who = { userId: 'u1', taskId: 't1' };
const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Parses exposition text. parse-prometheus-text-format parses counters and gauges with their labels, but
 * folds a labelled histogram's samples into one label-less object (its `flattenMetrics`); so the
 * histograms' `# TYPE` lines are left out, and their `_count`, `_sum` and `_bucket` series come back as
 * labelled untyped families, still parsed by the library.
 */
function parseExposition(text: string): ParsedFamily[] {
  const histograms = new Set(
    parsePrometheusTextFormat(text)
      .filter((family) => family.type === 'HISTOGRAM')
      .map((family) => family.name),
  );
  const lines = text.split('\n').filter((line) => !(line.startsWith('# ') && histograms.has(line.split(' ')[2]!)));
  return parsePrometheusTextFormat(lines.join('\n'));
}

/** The value of the sample of `family` whose labels include `labels`. */
function sample(families: ParsedFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  // Untyped series of one histogram come back as several families of one name (one per label set).
  const samples = families.filter((f) => f.name === name).flatMap((f) => f.metrics);
  const found = samples.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (found === undefined) return undefined;
  return Number(found.value);
}

describe('the /metrics endpoint, scraped over HTTP after real tool calls', () => {
  let app: App;
  let server: MetricsServer;
  let metrics: PrometheusMetrics;
  let families: ParsedFamily[];
  let response: Response;

  beforeAll(async () => {
    metrics = new PrometheusMetrics();
    const store = new CountingStore();
    app = createApp({ tools: [OrdersTool], listeners: [metrics], cacheStore: store, logger: quietLogger, config: { timeoutMs: 5_000 } });
    metrics.observe(app);
    server = await serveMetrics(metrics.registry, { port: 0 });

    const orders = app.tool(OrdersTool);
    await app.run('orders.lookup', { key: 'a' }, who); // miss
    await app.run('orders.lookup', { key: 'a' }, who); // hit
    await app.run('orders.lookup', { key: 'b' }, who); // miss
    await app.run('orders.lookup', { key: 5 }, who).catch(() => undefined); // miss, then INPUT_VALIDATION
    orders.flakyFailures = 2;
    await app.run('orders.flaky', {}, who); // 3 attempts, 2 retries
    await app.run('orders.slow', {}, who).catch(() => undefined); // 2 attempt timeouts, 1 retry, TIMEOUT
    await app.run('orders.missing', {}, who).catch(() => undefined); // TOOL_EXECUTION (ENOENT, not retried)
    await app.run('orders.fragile', {}, who).catch(() => undefined); // TOOL_EXECUTION, opens the circuit
    await app.run('orders.fragile', {}, who).catch(() => undefined); // CIRCUIT_OPEN
    await orders.run('nope' as never, {}).catch(() => undefined); // refused at the door: UNKNOWN_OPERATION
    await app.run('orders.page', {}, who); // an instruction-like result, reported by the output screen

    response = await fetch(server.url);
    families = parseExposition(await response.text());
  });

  afterAll(async () => {
    await server.close();
    await app.close();
  });

  it('answers on 127.0.0.1 with the Prometheus text content type', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(metrics.registry.contentType);
  });

  it('counts executions per tool and operation, refused calls included', () => {
    const executions = (operation: string) => sample(families, 'tool_executions_total', { tool_name: 'orders', operation });
    expect([
      executions('lookup'),
      executions('flaky'),
      executions('slow'),
      executions('missing'),
      executions('fragile'),
      executions('nope'),
      executions('page'),
    ]).toEqual([4, 1, 1, 1, 2, 1, 1]);
    expect(sample(families, 'tool_duration_seconds_count', { tool_name: 'orders' })).toBe(11);
    expect(sample(families, 'tool_duration_seconds_bucket', { tool_name: 'orders', le: '+Inf' })).toBe(11);
  });

  it('counts cache hits and misses (tool level and execution level)', () => {
    expect(sample(families, 'tool_cache_hits_total', { tool_name: 'orders' })).toBe(1);
    expect(sample(families, 'cache_hits_total', { tool_name: 'orders', operation: 'lookup' })).toBe(1);
    expect(sample(families, 'cache_misses_total', { tool_name: 'orders', operation: 'lookup' })).toBe(3);
    expect(sample(families, 'cache_size')).toBe(2);
  });

  it('counts errors by the type the caller received', () => {
    const errors = (error_type: string) => sample(families, 'tool_errors_total', { tool_name: 'orders', error_type });
    expect({
      INPUT_VALIDATION: errors('INPUT_VALIDATION'),
      TIMEOUT: errors('TIMEOUT'),
      TOOL_EXECUTION: errors('TOOL_EXECUTION'),
      CIRCUIT_OPEN: errors('CIRCUIT_OPEN'),
      UNKNOWN_OPERATION: errors('UNKNOWN_OPERATION'),
    }).toEqual({ INPUT_VALIDATION: 1, TIMEOUT: 1, TOOL_EXECUTION: 2, CIRCUIT_OPEN: 1, UNKNOWN_OPERATION: 1 });
  });

  it('counts retries, timeouts and attempts', () => {
    expect(sample(families, 'retry_attempts_total', { operation: 'flaky' })).toBe(2);
    expect(sample(families, 'retry_attempts_total', { operation: 'slow' })).toBe(1);
    expect(sample(families, 'timeout_errors_total', { operation: 'slow', scope: 'attempt' })).toBe(2);
    // One observation per attempt that ran: lookup's two misses that passed validation, flaky's 3, slow's 2.
    expect(sample(families, 'operation_duration_seconds_count', { operation: 'lookup' })).toBe(2);
    expect(sample(families, 'operation_duration_seconds_count', { operation: 'flaky' })).toBe(3);
    expect(sample(families, 'operation_duration_seconds_count', { operation: 'slow' })).toBe(2);
  });

  it("reports the fragile operation's circuit as open (1) and its other states as 0", () => {
    const state = (s: string) => sample(families, 'circuit_breaker_state', { operation: 'fragile', state: s });
    expect([state('open'), state('closed'), state('half-open')]).toEqual([1, 0, 0]);
  });

  it("keeps its metrics out of prom-client's global registry (a registry of its own by default)", () => {
    expect(register.getSingleMetric('tool_executions_total')).toBeUndefined();
  });

  it('counts results the output screen flagged as instruction-like', () => {
    expect(sample(families, 'untrusted_outputs_total', { tool_name: 'orders', operation: 'page' })).toBe(1);
    expect(sample(families, 'untrusted_outputs_total', { tool_name: 'orders', operation: 'lookup' })).toBeUndefined();
    expect(app.tool(OrdersTool).executor.getMetrics().byOperation.page).toMatchObject({ requests: 1, untrustedOutputs: 1 });
    expect(app.tool(OrdersTool).executor.getMetrics().untrustedOutputs).toBe(1);
  });

  it('answers 404 elsewhere, and the server closes', async () => {
    expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
  });
});
