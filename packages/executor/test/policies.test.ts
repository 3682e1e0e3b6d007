import {
  Bulkhead,
  BulkheadRejectedError,
  CacheResult,
  CircuitBreaker,
  CircuitOpenError,
  Fallback,
  Retry,
  Timeout,
  TimeoutError,
  ToolExecutionError,
  UsePolicy,
  type ToolContext,
} from '@aiecs/core';
import { ConstantBackoff, handleAll, retry } from 'cockatiel';
import { EventEmitter } from 'node:events';
import { BaseTool } from '../src';
import { recordingLogger, settleWithTimers } from './fixtures';

class Backend extends BaseTool {
  calls = 0;
  healthy = false;
  permanent = false;

  @CircuitBreaker({ threshold: 2, halfOpenAfterMs: 1000 })
  @Retry({ attempts: 1, retryOn: (e) => !(e as Error).message.includes('permanent') })
  async fetch(_input: object) {
    this.calls++;
    if (this.permanent) throw new Error('permanent failure');
    if (!this.healthy) throw new Error('backend down');
    return 'data';
  }
}

const quiet = { logger: recordingLogger(), timeoutMs: 0 };

describe('@CircuitBreaker', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('opens after the threshold, fails fast with CircuitOpenError, and closes after a good trial', async () => {
    const tool = new Backend(quiet);
    await expect(tool.run('fetch', {})).rejects.toThrow('backend down');
    await expect(tool.run('fetch', {})).rejects.toThrow('backend down');
    const open = await tool.run('fetch', {}).catch((e) => e);
    expect(open).toBeInstanceOf(CircuitOpenError);
    expect(open).toBeInstanceOf(ToolExecutionError);
    expect(tool.calls).toBe(2); // the third call never reached the method
    expect(tool.executor.getMetrics().byOperation.fetch.circuit).toBe('open');
    expect((await tool.executor.healthCheck()).circuits).toEqual({ fetch: 'open' });

    jest.setSystemTime(1001);
    tool.healthy = true;
    await expect(tool.run('fetch', {})).resolves.toBe('data');
    expect(tool.executor.getMetrics().byOperation.fetch.circuit).toBe('closed');
  });

  it('a half-open trial that fails with a non-retried error re-opens the circuit (cockatiel would close it)', async () => {
    const tool = new Backend(quiet);
    await tool.run('fetch', {}).catch(() => undefined);
    await tool.run('fetch', {}).catch(() => undefined);
    jest.setSystemTime(1001);
    tool.permanent = true;
    await expect(tool.run('fetch', {})).rejects.toThrow('permanent failure');
    expect(tool.executor.getMetrics().byOperation.fetch.circuit).toBe('open');
    await expect(tool.run('fetch', {})).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('keeps one breaker per tool instance and operation, shared by all calls', async () => {
    const a = new Backend(quiet);
    const b = new Backend(quiet);
    await a.run('fetch', {}).catch(() => undefined);
    await a.run('fetch', {}).catch(() => undefined);
    await expect(a.run('fetch', {})).rejects.toBeInstanceOf(CircuitOpenError);
    b.healthy = true;
    await expect(b.run('fetch', {})).resolves.toBe('data');
  });
});

class Limited extends BaseTool {
  running = 0;
  peak = 0;

  @Bulkhead({ limit: 2, queue: 1 })
  @Retry({ attempts: 1 })
  async work(input: { ms: number }) {
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    this.running--;
    return input.ms;
  }
}

describe('@Bulkhead', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('runs at most `limit`, queues `queue`, and rejects the rest with BulkheadRejectedError', async () => {
    const tool = new Limited(quiet);
    const calls = [100, 100, 100, 100].map((ms) => Promise.allSettled([tool.run('work', { ms })]).then(([r]) => r));
    await jest.runAllTimersAsync();
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(BulkheadRejectedError);
    expect(tool.peak).toBe(2);
  });

  it('a queued call honours its own deadline and never starts after it', async () => {
    const tool = new Limited({ ...quiet, timeoutMs: 0 });
    const first = tool.run('work', { ms: 1000 });
    const second = tool.run('work', { ms: 1000 });
    const queued = tool.run('work', { ms: 1 }, { deadlineMs: 50 });
    const result = await settleWithTimers(queued);
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
    await Promise.all([first, second]);
    expect(tool.peak).toBe(2);
  });
});

@Retry({ attempts: 2, initialDelayMs: 1, jitter: false })
@Timeout(1000)
class ClassWide extends BaseTool {
  calls: Record<string, number> = {};
  private bump(name: string) {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
  }

  async inherits(_input: object) {
    this.bump('inherits');
    throw new Error('x');
  }

  @Retry({ attempts: 4, initialDelayMs: 1, jitter: false })
  async overrides(_input: object) {
    this.bump('overrides');
    throw new Error('x');
  }
}

describe('class-wide policies and configuration precedence', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('a policy on the class applies to operations that declare none of their own', async () => {
    const tool = new ClassWide(quiet);
    await settleWithTimers(tool.run('inherits', {}));
    await settleWithTimers(tool.run('overrides', {}));
    expect(tool.calls).toEqual({ inherits: 2, overrides: 4 });
    expect(tool.executor.describe('inherits').plan.attemptTimeout).toEqual({ ms: 1000 });
  });

  it('configuration overrides what the code declares', async () => {
    const tool = new ClassWide({ ...quiet, operations: { overrides: { retry: { attempts: 1 }, timeout: 50, timeoutMs: 700 } } });
    await settleWithTimers(tool.run('overrides', {}));
    expect(tool.calls).toEqual({ overrides: 1 });
    const { plan } = tool.executor.describe('overrides');
    expect(plan.attemptTimeout).toEqual({ ms: 50 });
    expect(plan.deadline?.timeoutMs).toBe(700);
    tool.executor.setOperationTimeout('overrides', 90);
    expect(tool.executor.describe('overrides').plan.deadline?.timeoutMs).toBe(90);
  });

  it('the tool-wide retryAttempts applies when nothing narrower is declared', async () => {
    class Bare extends BaseTool {
      n = 0;
      async op(_input: object) {
        this.n++;
        throw new Error('x');
      }
    }
    const tool = new Bare({ ...quiet, retryAttempts: 3, retryBackoffMs: 1 });
    await settleWithTimers(tool.run('op', {}));
    expect(tool.n).toBe(3);
  });
});

class WithFallback extends BaseTool {
  @Fallback((error: unknown) => `fallback after ${(error as Error).message}`)
  @Retry({ attempts: 1 })
  async quote(input: { fail: boolean }) {
    if (input.fail) throw new Error('outage');
    return 'live';
  }

  @Fallback('stale')
  @CacheResult()
  @Retry({ attempts: 1 })
  async cached(input: { fail: boolean; id: number }, ctx: ToolContext) {
    void ctx;
    if (input.fail) throw new Error('outage');
    return 'fresh';
  }
}

describe('@Fallback', () => {
  it('returns the fallback (a value or a function of the error) instead of a failure', async () => {
    const tool = new WithFallback(quiet);
    await expect(tool.run('quote', { fail: false })).resolves.toBe('live');
    await expect(tool.run('quote', { fail: true })).resolves.toBe('fallback after outage');
  });

  it('never caches a fallback value', async () => {
    const tool = new WithFallback(quiet);
    await expect(tool.run('cached', { fail: true, id: 1 })).resolves.toBe('stale');
    expect(tool.executor.getMetrics().byOperation.cached.cacheHits).toBe(0);
    await expect(tool.run('cached', { fail: true, id: 1 })).resolves.toBe('stale');
    expect(tool.executor.getMetrics().byOperation.cached.cacheHits).toBe(0);
  });
});

describe('@UsePolicy', () => {
  it("runs each attempt inside a cockatiel policy (or a factory's, built once per instance)", async () => {
    const built: string[] = [];
    class Custom extends BaseTool {
      n = 0;
      @UsePolicy(({ operation }) => {
        built.push(operation);
        return retry(handleAll, { maxAttempts: 2, backoff: new ConstantBackoff(1) });
      })
      @Retry({ attempts: 1 })
      async op(_input: object) {
        if (++this.n < 3) throw new Error('again');
        return this.n;
      }
    }
    const tool = new Custom(quiet);
    await expect(tool.run('op', {})).resolves.toBe(3);
    await tool.run('op', {});
    expect(built).toEqual(['op']);
  });
});

describe('a cache hit bypasses every policy', () => {
  it('serves a hit while the circuit is open', async () => {
    class Cached extends BaseTool {
      healthy = true;
      @CacheResult()
      @CircuitBreaker({ threshold: 1, halfOpenAfterMs: 60_000 })
      @Retry({ attempts: 1 })
      async get(input: { id: number }) {
        if (!this.healthy) throw new Error('down');
        return input.id;
      }
    }
    const tool = new Cached(quiet);
    await tool.run('get', { id: 1 });
    tool.healthy = false;
    await expect(tool.run('get', { id: 2 })).rejects.toThrow('down');
    await expect(tool.run('get', { id: 3 })).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(tool.run('get', { id: 1 })).resolves.toBe(1);
  });
});

describe('no leaks', () => {
  it('thousands of calls with a caller signal leave no abort listener or timer behind', async () => {
    class Quick extends BaseTool {
      @Timeout(1000)
      @Retry({ attempts: 2 })
      async op(_input: object, ctx: ToolContext) {
        // Outlives the turn it started in, so the deadline stage subscribes to the caller's signal.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return ctx.signal.aborted;
      }
    }
    const tool = new Quick({ ...quiet, timeoutMs: 5000 });
    const controller = new AbortController();
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    for (let batch = 0; batch < 5; batch++) {
      const calls = Array.from({ length: 1000 }, () => tool.run('op', {}, { signal: controller.signal }));
      // Concurrent calls on one caller signal share a single listener (added when the loop turns).
      await new Promise((resolve) => setImmediate(resolve));
      expect(EventEmitter.getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      await Promise.all(calls);
    }
    expect(EventEmitter.getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(timersAfter - timersBefore).toBeLessThanOrEqual(1);
  });
});
