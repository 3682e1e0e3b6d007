// Named pools on real worker threads: threads of their own, started on first use, refused when unknown,
// counted by stats(), and all ended by close().
import { ConfigurationError, ToolExecutionError } from '@aiecs/core';
import { createApp, type App } from '@aiecs/executor';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { WorkerInvoker, workerPool, type WorkerPoolOptions } from '../src';
import { holdFlags, PooledTool, RELEASED, STARTED, StrayTool } from './fixtures/pooledTools';

// A pool's first call starts a worker that loads the tool's TypeScript sources (tsx): seconds on a busy machine.
jest.setTimeout(120_000);

const POOLS: WorkerPoolOptions = { maxWorkers: 1, pools: { solo: { maxWorkers: 1 }, other: { maxWorkers: 1 } } };
const TOOL_CONFIG = { retryAttempts: 1, timeoutMs: 120_000 };

function poolApp(tools: unknown[] = [{ tool: PooledTool, config: TOOL_CONFIG }], options: WorkerPoolOptions = POOLS): App {
  return createApp({ tools: tools as never, invoker: workerPool(options) });
}

function invokerOf(app: App): WorkerInvoker {
  return app.runtime.invoker as WorkerInvoker;
}

/** Resolves once `check()` holds, polled on timers (the main thread stays free meanwhile). */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const limit = Date.now() + 60_000;
  while (!check()) {
    if (Date.now() > limit) throw new Error(`still not true after 60 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A promise and whether it has settled yet. */
function tracked<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  const settle = (): void => {
    settled = true;
  };
  promise.then(settle, settle);
  return { promise, settled: () => settled };
}

type Echo = { threadId: number; value: number };

describe('named pools', () => {
  let app: App;
  beforeAll(() => {
    app = poolApp();
  });
  afterAll(() => app.close());

  it('starts no pool before its first call: stats() is all zeros but maxWorkers, the sum over the pools', () => {
    const invoker = invokerOf(app);
    expect(invoker.poolNames).toEqual(['default', 'solo', 'other']);
    expect(invoker.threads).toBe(0);
    expect(invoker.stats()).toEqual({ workers: 0, maxWorkers: 3, queued: 0, running: 0, completed: 0, utilization: 0 });
    expect(invoker.poolStats().solo).toEqual({ workers: 0, maxWorkers: 1, queued: 0, running: 0, completed: 0, utilization: 0 });
  });

  it("runs each pool's operations on threads of its own, each pool started by its first call", async () => {
    const invoker = invokerOf(app);
    const onDefault = (await app.run('pooled.defaultEcho', { value: 1 })) as Echo;
    expect(invoker.poolStats().default!.workers).toBe(1);
    expect(invoker.poolStats().solo!.workers).toBe(0);
    expect(invoker.poolStats().other!.workers).toBe(0);

    const onSolo = (await app.run('pooled.soloEcho', { value: 2 })) as Echo;
    const onOther = (await app.run('pooled.otherEcho', { value: 3 })) as Echo;
    const onNamedDefault = (await app.run('pooled.namedDefaultEcho', { value: 4 })) as Echo;
    expect([onDefault.value, onSolo.value, onOther.value, onNamedDefault.value]).toEqual([1, 2, 3, 4]);
    expect(new Set([onDefault.threadId, onSolo.threadId, onOther.threadId]).size).toBe(3);
    // `pool: 'default'` is the default pool (one thread): the same thread as the call that named no pool.
    expect(onNamedDefault.threadId).toBe(onDefault.threadId);
    expect(invoker.threads).toBe(3);
    expect(invoker.stats()).toMatchObject({ workers: 3, maxWorkers: 3, queued: 0, running: 0, completed: 4 });
  });

  it('keeps serving the other pools while a CPU-bound body holds the one thread of "solo"; a second "solo" call waits for it', async () => {
    const invoker = invokerOf(app);
    const before = invoker.poolStats().solo!.completed;
    const flags = holdFlags();
    const held = tracked(app.run('pooled.hold', { flags }) as Promise<{ threadId: number; released: boolean }>);
    await eventually(() => Atomics.load(flags, STARTED) === 1, 'the hold started');
    await eventually(() => invoker.poolStats().solo!.running === 1, 'solo counts the hold as running');
    expect(invoker.stats().running).toBeGreaterThanOrEqual(1);

    const queuedOnSolo = tracked(app.run('pooled.soloEcho', { value: 5 }) as Promise<Echo>);
    await eventually(() => invoker.poolStats().solo!.queued === 1, 'solo counts the second call as queued');
    expect(invoker.stats().queued).toBe(1);

    // The other pools answer while the hold is still spinning (it ends only when released below).
    await expect(app.run('pooled.otherEcho', { value: 6 })).resolves.toMatchObject({ value: 6 });
    await expect(app.run('pooled.defaultEcho', { value: 7 })).resolves.toMatchObject({ value: 7 });
    expect(held.settled()).toBe(false);
    expect(queuedOnSolo.settled()).toBe(false);
    expect(invoker.poolStats().solo).toMatchObject({ running: 1, queued: 1 });

    Atomics.store(flags, RELEASED, 1);
    const hold = await held.promise;
    expect(hold.released).toBe(true);
    // The one thread of "solo" ran both, one after the other.
    await expect(queuedOnSolo.promise).resolves.toEqual({ threadId: hold.threadId, value: 5 });
    const solo = invoker.poolStats().solo!;
    expect(solo).toMatchObject({ workers: 1, running: 0, queued: 0, completed: before + 2 });
    expect(solo.utilization).toBeGreaterThan(0);
    expect(solo.utilization).toBeLessThanOrEqual(1);
    const total = invoker.stats();
    expect(total).toMatchObject({ running: 0, queued: 0 });
    expect(total.utilization).toBeGreaterThan(0);
    expect(total.utilization).toBeLessThanOrEqual(1);
  });
});

describe('an operation naming a pool the invoker does not define', () => {
  it('is refused when it is planned, with a ConfigurationError naming the operation, the pool and the pools that exist', async () => {
    await using app = poolApp([{ tool: StrayTool, config: { ...TOOL_CONFIG, logLevel: 'silent' } }]);
    const error = (await app.run('stray.lost', {}).catch((e: unknown) => e)) as ConfigurationError;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'CONFIGURATION', option: 'stray.lost @RunInExecutor.pool', value: 'nowhere' });
    expect(error.message).toContain('"default", "solo", "other"');
    // Refused before any thread started.
    expect(invokerOf(app).threads).toBe(0);
  });

  it('is refused by warmUp too', async () => {
    await using invoker = new WorkerInvoker(POOLS);
    await expect(invoker.warmUp('nowhere')).rejects.toMatchObject({ option: 'warmUp', value: 'nowhere' });
  });
});

describe('pool options', () => {
  it('gives a named pool the default pool options it does not set', async () => {
    await using invoker = new WorkerInvoker({ maxWorkers: 3, pools: { wide: {}, narrow: { maxWorkers: 1 } } });
    const stats = invoker.poolStats();
    expect([stats.default!.maxWorkers, stats.wide!.maxWorkers, stats.narrow!.maxWorkers]).toEqual([3, 3, 1]);
    expect(invoker.stats().maxWorkers).toBe(7);
  });

  it.each([
    ['workerPool.pools.heavy.maxWorkers', { pools: { heavy: { maxWorkers: 0 } } }, /at least 1/],
    ['workerPool.pools.heavy.maxWorkers', { pools: { heavy: { maxWorkers: 1.5 } } }, /whole number/],
    ['workerPool.pools.heavy.maxWorker', { pools: { heavy: { maxWorker: 2 } } }, /unknown option/],
    ['workerPool.pools.heavy.idleTimeoutMs', { pools: { heavy: { idleTimeoutMs: -1 } } }, /at least 0/],
    [
      'workerPool.pools.heavy.resourceLimits.maxOldGenerationSizeMb',
      { pools: { heavy: { resourceLimits: { maxOldGenerationSizeMb: 0 } } } },
      /more than 0/,
    ],
    ['workerPool.pools.heavy.resourceLimits.heapMb', { pools: { heavy: { resourceLimits: { heapMb: 64 } } } }, /unknown option/],
    ['workerPool.pools.heavy.execArgv', { pools: { heavy: { execArgv: '--inspect' } } }, /array of strings/],
    ['workerPool.pools.heavy', { pools: { heavy: 2 } }, /expected \{ maxWorkers\?/],
    ['workerPool.pools.default', { pools: { default: { maxWorkers: 1 } } }, /the default pool/],
    ['workerPool.pools.', { pools: { '': {} } }, /must not be empty/],
    ['workerPool.pools', { pools: [] }, /named pools/],
    ['workerPool.maxWorker', { maxWorker: 2 }, /unknown option/],
    ['workerPool.resourceLimits.stackSizeMb', { resourceLimits: { stackSizeMb: Number.NaN } }, /expected a number/],
    ['workerPool.logger', { logger: console.log }, /warn/],
  ])('refuses a bad %s where it is written, with a ConfigurationError naming it', (option, options, reason) => {
    let error: unknown;
    try {
      workerPool(options as WorkerPoolOptions);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe(option);
    expect((error as ConfigurationError).message).toMatch(reason);
  });
});

describe('close()', () => {
  it('ends the threads of every pool, a busy one included: its running call fails as closed', async () => {
    const app = poolApp([{ tool: PooledTool, config: { ...TOOL_CONFIG, logLevel: 'silent' } }]);
    const invoker = invokerOf(app);
    const flags = holdFlags();
    const held = app.run('pooled.hold', { flags }).catch((e: unknown) => e);
    await eventually(() => Atomics.load(flags, STARTED) === 1, 'the hold started');
    await app.run('pooled.otherEcho', { value: 1 });
    await app.run('pooled.defaultEcho', { value: 1 });
    expect(invoker.threads).toBe(3);

    await app.close();
    const error = await held;
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error).toMatchObject({ code: 'WORKER_POOL_CLOSED' });
    expect(Atomics.load(flags, RELEASED)).toBe(0); // it did not end by itself
    expect(invoker.threads).toBe(0);
    expect(invoker.stats()).toMatchObject({ workers: 0, running: 0, queued: 0 });
    await expect(invoker.warmUp()).rejects.toMatchObject({ code: 'WORKER_POOL_CLOSED' });
  });

  it('lets the process end by itself while a body was still holding a thread of a named pool', async () => {
    // A busy worker keeps its process alive: the child (its hold spins for up to a minute) only ends soon if close() ended it.
    const child = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const script = join(__dirname, 'fixtures', 'closeThenExit.ts');
      execFile(
        process.execPath,
        ['--require', require.resolve('tsx/cjs'), script],
        { cwd: join(__dirname, '..', '..', '..'), timeout: 45_000 },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? null), stdout, stderr }),
      );
    });
    expect(child.stderr).toBe('');
    expect(child.code).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ before: 3, after: 0, held: 'WORKER_POOL_CLOSED' });
  });
});
