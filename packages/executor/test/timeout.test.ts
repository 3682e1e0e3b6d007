import { Retry, Timeout, TimeoutError, type ToolContext } from '@aiecs/core';
import { BaseTool } from '../src';
import { recordingLogger, settleWithTimers } from './fixtures';

class SlowTool extends BaseTool {
  started: number[] = [];
  seenSignals: AbortSignal[] = [];

  /** Ignores its signal entirely. */
  async stubborn(input: { ms: number }, ctx: ToolContext) {
    this.started.push(Date.now());
    this.seenSignals.push(ctx.signal);
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    return 'late';
  }

  @Retry({ attempts: 5, initialDelayMs: 300, jitter: false })
  async failing(_input: object, ctx: ToolContext) {
    this.started.push(Date.now());
    void ctx;
    throw new Error('transient');
  }

  @Timeout(100)
  @Retry({ attempts: 3, initialDelayMs: 10, jitter: false })
  async perAttempt(_input: object, ctx: ToolContext) {
    this.started.push(Date.now());
    this.seenSignals.push(ctx.signal);
    await new Promise((resolve) => setTimeout(resolve, ctx.attempt < 3 ? 1000 : 5));
    return `attempt ${ctx.attempt}`;
  }

  @Timeout({ ms: 100, strategy: 'cooperative' })
  @Retry({ attempts: 1 })
  async cooperative(_input: object, ctx: ToolContext) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return ctx.signal.aborted ? 'noticed abort' : 'finished';
  }
}

const base = { logger: recordingLogger(), retryAttempts: 1 };

describe('timeouts', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('releases the caller at the deadline even when the method ignores its signal, and aborts the signal', async () => {
    const tool = new SlowTool({ ...base, timeoutMs: 1000 });
    let settledAt = -1;
    const pending = tool.run('stubborn', { ms: 60_000 }).finally(() => (settledAt = Date.now()));
    const result = await settleWithTimers(pending);
    expect(settledAt).toBe(1000);
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
    expect((result as PromiseRejectedResult).reason).toMatchObject({ timeoutMs: 1000, scope: 'call', operation: 'stubborn' });
    expect(tool.seenSignals[0].aborted).toBe(true);
    expect(tool.executor.getMetrics().timeouts).toBe(1);
  });

  it('bounds retries and backoff waits; no attempt starts after the deadline', async () => {
    const tool = new SlowTool({ ...base, timeoutMs: 500 });
    const result = await settleWithTimers(tool.run('failing', {}));
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
    // attempts at 0 and 300; the next would start at 900 > 500.
    expect(tool.started).toEqual([0, 300]);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(tool.started).toEqual([0, 300]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('context.deadlineMs bounds the call when it is sooner than timeoutMs', async () => {
    const tool = new SlowTool({ ...base, timeoutMs: 10_000 });
    let settledAt = -1;
    const result = await settleWithTimers(tool.run('stubborn', { ms: 5000 }, { deadlineMs: 250 }).finally(() => (settledAt = Date.now())));
    expect(settledAt).toBe(250);
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
  });

  it('setOperationTimeout overrides the tool-wide timeout for one operation', async () => {
    const tool = new SlowTool({ ...base, timeoutMs: 10_000 });
    tool.executor.setOperationTimeout('stubborn', 50);
    let settledAt = -1;
    await settleWithTimers(tool.run('stubborn', { ms: 5000 }).finally(() => (settledAt = Date.now())));
    expect(settledAt).toBe(50);
    expect(tool.executor.describe('stubborn').plan.deadline?.timeoutMs).toBe(50);
  });

  it('@Timeout limits each attempt (aggressive), aborts its signal, and the attempt is retried', async () => {
    const tool = new SlowTool({ ...base, timeoutMs: 0 });
    const result = await settleWithTimers(tool.run('perAttempt', {}));
    expect(result).toEqual({ status: 'fulfilled', value: 'attempt 3' });
    expect(tool.started).toEqual([0, 110, 230]);
    expect(tool.seenSignals.map((s) => s.aborted)).toEqual([true, true, false]);
    expect(tool.executor.getMetrics().timeouts).toBe(2);
  });

  it('cooperative @Timeout aborts the signal and waits for the method', async () => {
    const tool = new SlowTool({ ...base, timeoutMs: 0 });
    const result = await settleWithTimers(tool.run('cooperative', {}));
    expect(result).toEqual({ status: 'fulfilled', value: 'noticed abort' });
  });

  it('leaves no timer behind after many calls', async () => {
    jest.useRealTimers();
    const tool = new SlowTool({ ...base, timeoutMs: 5000 });
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await Promise.all(Array.from({ length: 2000 }, () => tool.run('stubborn', { ms: 0 })));
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after - before).toBeLessThanOrEqual(1);
  });
});
