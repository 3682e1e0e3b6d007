// Real worker threads that crash, run late or are abandoned: only the affected calls fail, the pool keeps serving.
import { AbortedError, TimeoutError, WorkerCrashedError, errorKind } from '@aiecs/core';
import { createApp, type App } from '@aiecs/executor';
import { workerPool, type WorkerInvoker } from '../src';
import { CpuTool } from './fixtures/cpuTools';

jest.setTimeout(120_000);

/** An app on a pool of `maxWorkers`, each worker warmed up (tool loaded) before the test measures anything. */
async function warmApp(
  maxWorkers: number,
  config: Record<string, unknown> = {},
  pool: Parameters<typeof workerPool>[0] = {},
): Promise<App> {
  const app = createApp({
    tools: [{ tool: CpuTool, config: { retryAttempts: 1, logLevel: 'error', ...config } }],
    invoker: workerPool({ maxWorkers, ...pool }),
  });
  await app.run('cpu.spin', { ms: 1 });
  await (app.runtime.invoker as WorkerInvoker).warmUp();
  return app;
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as Error,
  );
}

async function firstSuccess<T>(tries: number, call: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (error) {
      if (i >= tries || !(error instanceof TimeoutError)) throw error;
    }
  }
}

describe('a worker that crashes', () => {
  let app: App;
  beforeAll(async () => {
    // 256 MB of old generation: room for the loader and the tool, not for the hoarding body.
    app = await warmApp(2, {}, { resourceLimits: { maxOldGenerationSizeMb: 256 } });
  });
  afterAll(() => app.close());

  it.each([
    ['exit', /exited with code: 3/],
    ['callback', /thrown from a timer callback/],
    ['oom', /ERR_WORKER_OUT_OF_MEMORY|out of memory/i],
  ] as const)('(%s) fails only its own call with a transient WorkerCrashedError, and the pool keeps serving', async (how, reason) => {
    const neighbour = app.run('cpu.spin', { ms: 300 });
    const error = await failureOf(app.run('cpu.crash', { how }));
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ code: 'WORKER_CRASHED', tool: 'cpu', operation: 'crash', kind: 'transient' });
    expect(errorKind(error)).toBe('transient');
    expect(String((error.cause as Error | undefined)?.message) + String((error.cause as { code?: string } | undefined)?.code)).toMatch(
      reason,
    );
    // The call on the other worker was not affected, and new calls are served.
    await expect(neighbour).resolves.toMatchObject({ attempt: 1 });
    await expect(app.run('cpu.spin', { ms: 1 })).resolves.toMatchObject({ attempt: 1 });
  });

  it('is retried like any transient failure: the next attempt runs on a healthy worker', async () => {
    await using retrying = createApp({
      tools: [{ tool: CpuTool, config: { retryAttempts: 2, retryBackoffMs: 1, logLevel: 'error' } }],
      invoker: app.runtime.invoker,
    });
    await expect(retrying.run('cpu.crash', { how: 'exit' })).resolves.toBe('recovered on attempt 2');
  });
});

describe('timeouts and aborts', () => {
  let app: App;
  beforeAll(async () => {
    app = await warmApp(2);
  });
  afterAll(() => app.close());

  it('rejects a 500 ms CPU-bound loop under a 50 ms timeout at about 50 ms with TimeoutError; the next call succeeds', async () => {
    const started = performance.now();
    const error = await failureOf(app.run('cpu.spinUnder50ms', { ms: 500 }));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ scope: 'attempt', timeoutMs: 50, operation: 'spinUnder50ms' });
    // About 50 ms: well before the loop would have ended (a busy 2-core host can delay a timer a little).
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(400);
    // The next call runs on a live worker. (On this shared 2-core host even a warm round trip can pass 50 ms
    // now and then, so it gets three tries; a pool left broken by the timeout fails all three.)
    const next = await firstSuccess(3, () => app.run('cpu.spinUnder50ms', { ms: 1 }));
    expect(next).toMatchObject({ threadId: expect.any(Number) });
  });

  it('ends the worker of an aborted running call (the caller is released at once) and replaces it', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const call = app.run('cpu.spin', { ms: 5_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user pressed stop')), 100);
    const error = await failureOf(call);
    expect(error).toBeInstanceOf(AbortedError);
    expect(performance.now() - started).toBeLessThan(1_500);
    await expect(app.run('cpu.spin', { ms: 1 })).resolves.toMatchObject({ attempt: 1 });
  });

  it('under a cooperative timeout, aborts ctx.signal inside the worker (a synchronous loop sees it) and keeps the worker', async () => {
    const invoker = app.runtime.invoker as WorkerInvoker;
    const started = performance.now();
    const error = await failureOf(app.run('cpu.cooperativeSpin', { ms: 5_000 }));
    const elapsed = performance.now() - started;
    // The body threw its signal's reason (the TimeoutError, rebuilt in the worker and sent back) long before its 5 s loop ended.
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ scope: 'attempt', timeoutMs: 50 });
    expect(elapsed).toBeLessThan(1_500);
    const threads = invoker.threads;
    await expect(app.run('cpu.cooperativeSpin', { ms: 1 })).resolves.toEqual({ threadId: expect.any(Number), stoppedEarly: false });
    expect(invoker.threads).toBe(threads);
  });
});

describe('a queued call', () => {
  let app: App;
  beforeAll(async () => {
    app = await warmApp(1);
  });
  afterAll(() => app.close());

  it('is removed from the queue when aborted, without touching the call that is running', async () => {
    const running = app.run('cpu.spin', { ms: 800 });
    const controller = new AbortController();
    const queued = app.run('cpu.context', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    await expect(queued).rejects.toBeInstanceOf(AbortedError);
    // Released while the only worker is still busy with the first call.
    expect(performance.now() - started).toBeLessThan(600);
    await expect(running).resolves.toMatchObject({ attempt: 1 });
  });

  it('under a cooperative timeout is dropped from the queue too (it never starts), and the worker is kept', async () => {
    const invoker = app.runtime.invoker as WorkerInvoker;
    const running = app.run('cpu.spin', { ms: 600 });
    const started = performance.now();
    const error = await failureOf(app.run('cpu.cooperativeSpin', { ms: 1 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(450);
    await expect(running).resolves.toMatchObject({ attempt: 1 });
    expect(invoker.threads).toBe(1);
  });
});

describe('closing', () => {
  it("ends the pool with the app's runtime; later calls are refused", async () => {
    const app = await warmApp(1);
    const invoker = app.runtime.invoker as WorkerInvoker;
    expect(invoker.threads).toBe(1);
    await app.close();
    expect(invoker.threads).toBe(0);
    await expect(
      invoker.invoke({ tool: 'cpu', operation: 'spin', target: {}, runInExecutor: {} }, () => 1, {}, {} as never),
    ).rejects.toMatchObject({ code: 'WORKER_POOL_CLOSED' });
  });
});
