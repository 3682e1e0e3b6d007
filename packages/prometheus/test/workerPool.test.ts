// The worker-pool gauges, scraped over HTTP: read from the app's invoker at scrape time.
import { Operation, PIPELINE_CONTEXT, Tool, type ToolContext } from '@aiecs/core';
import { BaseTool, createApp, type App, type InvokedMethod, type Invoker, type InvokerStats, type InvokeSite } from '@aiecs/executor';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { PrometheusMetrics, serveMetrics, type MetricsServer } from '../src';
import { combinedInvokerStats } from '../src/workerPoolGauges';
import { workerPool } from '@aiecs/worker';
import { SpinTool } from './fixtures/spinTool';

/**
 * A pool of one "thread" on the calling thread: one method at a time, the others queued in order, and
 * `stats()` from what it really runs. Unlike real worker threads it holds calls on a gate, so a scrape sees
 * a queue and a running call for certain (the real `workerPool()` is scraped after its calls, below).
 */
class OneAtATimeInvoker implements Invoker {
  private readonly started = performance.now();
  private readonly waiting: Array<() => void> = [];
  private busy = false;
  private busyMs = 0;
  private done = 0;

  async invoke(site: InvokeSite, method: InvokedMethod, input: unknown, context: ToolContext): Promise<unknown> {
    if (this.busy) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.busy = true;
    const from = performance.now();
    try {
      return await method.call(site.target, input, context);
    } finally {
      this.busyMs += performance.now() - from;
      this.done++;
      const next = this.waiting.shift();
      if (next === undefined) this.busy = false;
      else next();
    }
  }

  stats(): InvokerStats {
    const age = performance.now() - this.started;
    return {
      workers: 1,
      maxWorkers: 1,
      queued: this.waiting.length,
      running: this.busy ? 1 : 0,
      completed: this.done,
      utilization: age === 0 ? 0 : Math.min(1, this.busyMs / age),
    };
  }
}

/** `wait` resolves when the test opens the gate. */
@Tool({ name: 'jobs' })
class JobsTool extends BaseTool {
  private opened!: () => void;
  gate = new Promise<void>((resolve) => (this.opened = resolve));

  open(): void {
    this.opened();
  }

  @Operation({ readOnly: true })
  async wait(_input: object, _ctx = PIPELINE_CONTEXT): Promise<string> {
    await this.gate;
    return 'done';
  }
}

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };
const POOL_METRICS = [
  'worker_pool_threads',
  'worker_pool_max_threads',
  'worker_pool_queue_size',
  'worker_pool_running_tasks',
  'worker_pool_utilization',
  'worker_pool_completed_tasks_total',
];

/** Every worker_pool_* sample of one scrape, by name, with its exposition type. */
async function scrapePool(server: MetricsServer): Promise<Record<string, { type: string; value: number }>> {
  const families: ParsedFamily[] = parsePrometheusTextFormat(await (await fetch(server.url)).text());
  const pool: Record<string, { type: string; value: number }> = {};
  for (const family of families) {
    if (!family.name.startsWith('worker_pool_')) continue;
    expect(family.metrics).toHaveLength(1); // label-less: one sample per name
    pool[family.name] = { type: family.type, value: Number(family.metrics[0]!.value) };
  }
  return pool;
}

// The real pool's first call starts a worker that loads the tool's TypeScript sources: seconds on a busy machine.
jest.setTimeout(120_000);

describe('worker-pool metrics, scraped over HTTP', () => {
  const apps: App[] = [];
  const servers: MetricsServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const app of apps) await app.close();
  });

  async function observed(invoker?: Invoker): Promise<{ app: App; server: MetricsServer }> {
    const metrics = new PrometheusMetrics();
    const app = createApp({ tools: [JobsTool], listeners: [metrics], logger: quietLogger, invoker, config: { timeoutMs: 10_000 } });
    metrics.observe(app);
    const server = await serveMetrics(metrics.registry, { port: 0 });
    apps.push(app);
    servers.push(server);
    return { app, server };
  }

  it("reports the pool's threads, queue, running calls, utilization and completed calls as they are at each scrape", async () => {
    const invoker = new OneAtATimeInvoker();
    const { app, server } = await observed(invoker);
    const jobs = app.tool(JobsTool);
    const calls = [1, 2, 3].map(() => app.run('jobs.wait', {}));
    while (invoker.stats().queued < 2) await new Promise((resolve) => setTimeout(resolve, 1)); // all three reached it
    const during = await scrapePool(server);
    expect(Object.keys(during).sort()).toEqual([...POOL_METRICS].sort());
    expect(during).toMatchObject({
      worker_pool_threads: { type: 'GAUGE', value: 1 },
      worker_pool_max_threads: { type: 'GAUGE', value: 1 },
      worker_pool_queue_size: { type: 'GAUGE', value: 2 },
      worker_pool_running_tasks: { type: 'GAUGE', value: 1 },
      worker_pool_completed_tasks_total: { type: 'COUNTER', value: 0 },
    });
    jobs.open();
    await expect(Promise.all(calls)).resolves.toEqual(['done', 'done', 'done']);
    const after = await scrapePool(server);
    expect(after).toMatchObject({
      worker_pool_queue_size: { value: 0 },
      worker_pool_running_tasks: { value: 0 },
      worker_pool_completed_tasks_total: { type: 'COUNTER', value: 3 },
    });
    expect(after.worker_pool_utilization!.value).toBeGreaterThan(0);
    expect(after.worker_pool_utilization!.value).toBeLessThanOrEqual(1);
    // A second scrape reads the same totals (the counter is set from the pool, not added to).
    expect((await scrapePool(server)).worker_pool_completed_tasks_total!.value).toBe(3);
  });

  it('reports 0 for an app whose invoker has no stats (methods run in-process)', async () => {
    const { app, server } = await observed();
    app.tool(JobsTool).open();
    await app.run('jobs.wait', {});
    expect(app.runtime.invokerStats()).toBeUndefined();
    const pool = await scrapePool(server);
    expect(Object.keys(pool).sort()).toEqual([...POOL_METRICS].sort());
    for (const name of POOL_METRICS) expect(pool[name]!.value).toBe(0);
  });

  it('reads the real workerPool(): nothing before the runtime makes it, then its threads and completed calls', async () => {
    const metrics = new PrometheusMetrics();
    const app = createApp({
      tools: [{ tool: SpinTool, config: { retryAttempts: 1, timeoutMs: 120_000 } }],
      listeners: [metrics],
      logger: quietLogger,
      invoker: workerPool({ maxWorkers: 2 }),
    });
    metrics.observe(app);
    const server = await serveMetrics(metrics.registry, { port: 0 });
    apps.push(app);
    servers.push(server);
    expect(app.runtime.invokerStats()).toBeUndefined(); // the pool is made on the first call
    for (const name of POOL_METRICS) expect((await scrapePool(server))[name]!.value).toBe(0);
    await Promise.all([1, 2, 3].map(() => app.run('spin.spin', { ms: 20 })));
    const pool = await scrapePool(server);
    expect(pool).toMatchObject({
      worker_pool_max_threads: { value: 2 },
      worker_pool_queue_size: { value: 0 },
      worker_pool_running_tasks: { value: 0 },
      worker_pool_completed_tasks_total: { type: 'COUNTER', value: 3 },
    });
    expect(pool.worker_pool_threads!.value).toBeGreaterThanOrEqual(1);
    expect(pool.worker_pool_threads!.value).toBeLessThanOrEqual(2);
    expect(pool.worker_pool_utilization!.value).toBeGreaterThan(0);
    expect(pool.worker_pool_utilization!.value).toBeLessThanOrEqual(1);
  });

  it('adds up the pools of several observed apps; utilization weighted by their threads', () => {
    const stats = (utilization: number, maxWorkers: number): InvokerStats => ({
      workers: 1,
      maxWorkers,
      queued: 2,
      running: 1,
      completed: 5,
      utilization,
    });
    const app = (s?: InvokerStats) => ({ runtime: { invokerStats: () => s } });
    expect(combinedInvokerStats([app(stats(1, 1)), app(stats(0, 3)), app(undefined), { runtime: {} }])).toEqual({
      workers: 2,
      maxWorkers: 4,
      queued: 4,
      running: 2,
      completed: 10,
      utilization: 0.25,
    });
    expect(combinedInvokerStats([])).toMatchObject({ workers: 0, maxWorkers: 0, utilization: 0 });
  });

  it('counts an invoker shared by two observed apps once', async () => {
    const invoker = new OneAtATimeInvoker();
    const metrics = new PrometheusMetrics();
    const first = createApp({ tools: [JobsTool], listeners: [metrics], logger: quietLogger, invoker });
    const second = createApp({ tools: [JobsTool], listeners: [metrics], logger: quietLogger, invoker });
    const alone = createApp({ tools: [JobsTool], logger: quietLogger, invoker: new OneAtATimeInvoker() });
    apps.push(first, second, alone);
    for (const app of [first, second, alone]) app.tool(JobsTool).open();
    await Promise.all([first.run('jobs.wait', {}), second.run('jobs.wait', {}), alone.run('jobs.wait', {})]);
    metrics.observe(first);
    metrics.observe(second);
    const server = await serveMetrics(metrics.registry, { port: 0 });
    servers.push(server);
    expect(await scrapePool(server)).toMatchObject({
      worker_pool_threads: { value: 1 },
      worker_pool_max_threads: { value: 1 },
      worker_pool_completed_tasks_total: { value: 2 },
    });
    // A third app with a pool of its own adds its pool.
    metrics.observe(alone);
    expect(await scrapePool(server)).toMatchObject({
      worker_pool_threads: { value: 2 },
      worker_pool_max_threads: { value: 2 },
      worker_pool_completed_tasks_total: { value: 3 },
    });
  });
});
