// Real worker threads: the body runs off the main thread while the pipeline stays on it; what crosses, and how.
import { errorKind, ToolExecutionError } from '@aiecs/core';
import { createApp, type App } from '@aiecs/executor';
import { threadId } from 'node:worker_threads';
import { WorkerInvoker, workerPool } from '../src';
import { CpuTool, QuotaError } from './fixtures/cpuTools';

// The first call starts a worker that loads the tool's TypeScript sources (tsx): seconds on a busy machine.
jest.setTimeout(120_000);

let app: App;

beforeAll(async () => {
  app = createApp({ tools: [{ tool: CpuTool, config: { retryAttempts: 1 } }], invoker: workerPool({ maxWorkers: 2 }) });
  // Both workers up, each with the tool loaded.
  await app.run('cpu.spin', { ms: 1 });
  await (app.runtime.invoker as WorkerInvoker).warmUp();
  expect((app.runtime.invoker as WorkerInvoker).threads).toBe(2);
});

afterAll(() => app.close());

describe('off the main thread', () => {
  it('keeps the event loop serving: a 20 ms timer ticks more than 30 times during a 1 s CPU-bound call', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    try {
      const started = performance.now();
      const result = (await app.run('cpu.spin', { ms: 1_000 })) as { threadId: number };
      const elapsed = performance.now() - started;
      expect(result.threadId).not.toBe(threadId);
      expect(elapsed).toBeGreaterThanOrEqual(1_000);
      expect(ticks).toBeGreaterThan(30);
    } finally {
      clearInterval(timer);
    }
  });

  it('gives the body userId, taskId, operation, attempt and a live signal; an operation without @RunInExecutor stays in-process', async () => {
    await expect(app.run('cpu.context', {}, { userId: 'u-7', taskId: 't-9' })).resolves.toEqual({
      threadId: expect.any(Number),
      userId: 'u-7',
      taskId: 't-9',
      operation: 'context',
      attempt: 1,
      aborted: false,
    });
    expect(((await app.run('cpu.context', {})) as { threadId: number }).threadId).not.toBe(threadId);
    await expect(app.run('cpu.inProcess', {})).resolves.toBe(threadId);
  });

  it("gives the body the model's tool call id (CallOptions.toolCallId) as ctx.toolCallId", async () => {
    await expect(app.run('cpu.context', {}, { toolCallId: 'call_7Qx' })).resolves.toMatchObject({
      toolCallId: 'call_7Qx',
      userId: 'anonymous',
    });
    expect(((await app.run('cpu.context', {})) as { toolCallId?: string }).toolCallId).toBeUndefined();
  });

  it("forwards ctx.reportProgress from the worker to the caller's onProgress, every report before the result", async () => {
    const reports: unknown[] = [];
    const result = await app.run('cpu.steps', { count: 5 }, { onProgress: (report) => reports.push(report) });
    expect(result).toBe(5);
    expect(reports).toEqual([1, 2, 3, 4, 5].map((step) => ({ progress: step, total: 5, message: `step ${step}` })));
  });

  it('shares one pool per app, made by the runtime from the factory', async () => {
    const invoker = app.runtime.invoker;
    expect(invoker).toBeInstanceOf(WorkerInvoker);
    expect((invoker as WorkerInvoker).maxWorkers).toBe(2);
    expect((invoker as WorkerInvoker).threads).toBeGreaterThanOrEqual(1);
    expect((invoker as WorkerInvoker).threads).toBeLessThanOrEqual(2);
  });
});

describe('what crosses', () => {
  it('returns structured-clone data intact: Date, Set, Map, typed arrays, bigint', async () => {
    const result = (await app.run('cpu.richResult', {})) as Record<string, unknown>;
    // Cloned objects belong to Node's realm, not to Jest's sandbox: compare by tag and content.
    const tag = (value: unknown): string => Object.prototype.toString.call(value);
    expect(tag(result.when)).toBe('[object Date]');
    expect((result.when as Date).getTime()).toBe(0);
    expect(tag(result.tags)).toBe('[object Set]');
    expect([...(result.tags as Set<string>)]).toEqual(['a']);
    expect(tag(result.index)).toBe('[object Map]');
    expect([...(result.index as Map<string, number[]>)]).toEqual([['k', [1, 2]]]);
    expect(tag(result.bytes)).toBe('[object Uint8Array]');
    expect([...(result.bytes as Uint8Array)]).toEqual([1, 2, 3]);
    expect(result.big).toBe(10n);
    expect('nothing' in result).toBe(true);
  });

  it.each([
    ['function', 'result is a function'],
    ['instance', 'result is an instance of Parsed'],
    ['nested', 'result.items[1].parsed is an instance of Parsed'],
    ['symbol', 'result.tag is a symbol'],
  ])('refuses a result that cannot cross intact (%s) with a ToolExecutionError naming the operation', async (what, where) => {
    const error = (await app.run('cpu.uncloneable', { what }).catch((e: unknown) => e)) as ToolExecutionError;
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error).toMatchObject({ code: 'RESULT_NOT_CLONEABLE', tool: 'cpu', operation: 'uncloneable', kind: 'internal' });
    expect(error.message).toContain('cpu.uncloneable: ');
    expect(error.message).toContain(where);
  });

  it('refuses an input that cannot be cloned (a function) with a caller error naming the operation', async () => {
    const error = (await app.run('cpu.context', { callback: () => 1 }).catch((e: unknown) => e)) as ToolExecutionError;
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error).toMatchObject({ code: 'INPUT_NOT_CLONEABLE', operation: 'context', kind: 'caller' });
    // The worker is fine.
    await expect(app.run('cpu.spin', { ms: 1 })).resolves.toMatchObject({ attempt: 1 });
  });
});

describe('errors thrown in the worker', () => {
  it('come back as their registered class with code, kind, message, stack, own fields and cause', async () => {
    const error = (await app.run('cpu.fail', { kind: 'aiecs' }).catch((e: unknown) => e)) as QuotaError;
    expect(error).toBeInstanceOf(QuotaError);
    expect(error).toMatchObject({ code: 'QUOTA', kind: 'transient', remaining: 3, message: 'quota exhausted (3 left)' });
    expect(error.stack).toContain('cpuTools.ts');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect((error.cause as Error).message).toBe('too many');
  });

  it.each(['typed', 'plain', 'string'] as const)('reach the caller exactly as the same error thrown in-process does (%s)', async (kind) => {
    await using inProcess = createApp({ tools: [{ tool: CpuTool, config: { retryAttempts: 1, logLevel: 'error' } }] });
    const offThread = await app.run('cpu.fail', { kind }).catch((e: unknown) => e);
    const local = await inProcess.run('cpu.fail', { kind }).catch((e: unknown) => e);
    expect(describeError(offThread)).toEqual(describeError(local));
    expect(errorKind(offThread)).toBe(errorKind(local));
  });

  it('keep a built-in class with its code and status, and a plain error its retryable flag, fields and cause chain', async () => {
    const typed = ((await app.run('cpu.fail', { kind: 'typed' }).catch((e: unknown) => e)) as Error).cause;
    expect(typed).toBeInstanceOf(TypeError);
    expect(typed).toMatchObject({ message: 'bad type', code: 'E_BAD_TYPE', status: 400 });
    expect(errorKind(typed)).toBe('caller'); // its status 400

    const plain = ((await app.run('cpu.fail', { kind: 'plain' }).catch((e: unknown) => e)) as Error).cause as Error;
    expect(plain).toBeInstanceOf(Error);
    expect(plain).toMatchObject({ message: 'plain failure', retryable: true, detail: 'x' });
    expect(plain.cause).toMatchObject({ message: 'root cause', code: 'ECONNRESET' });
    expect(errorKind(plain)).toBe('transient');
  });

  it('are classified for retry as in-process errors are: a transient one is retried, on the worker', async () => {
    await using retrying = createApp({
      tools: [{ tool: CpuTool, config: { retryAttempts: 2, retryBackoffMs: 1 } }],
      invoker: app.runtime.invoker,
    });
    await expect(retrying.run('cpu.flaky', {})).resolves.toBe(2);
    expect(retrying.getMetrics().cpu!.retries).toBe(1);
  });
});

/** An error's class, code, kind, message and fields, and its cause chain the same way (stacks differ by thread). */
function describeError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const { stack: _stack, cause, ...fields } = Object.fromEntries(Object.entries(error)) as Record<string, unknown>;
  return {
    class: error.constructor.name,
    message: (error as Error).message,
    ...fields,
    cause: 'cause' in error ? describeError(cause ?? (error as Error).cause) : undefined,
  };
}
