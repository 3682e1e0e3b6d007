import { TimeoutError, InputValidationError } from '@aiecs/core';
import { ExecutionUtils, MemoryCacheStore, type CacheStore } from '../src';
import { recordingLogger } from './fixtures';

describe('ExecutionUtils', () => {
  let utils: ExecutionUtils;
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => {
    utils?.close();
    jest.useRealTimers();
  });

  it('generates deterministic keys, independent of key order, distinct per user and task', () => {
    utils = new ExecutionUtils();
    const a = utils.generateCacheKey('read', 'u1', 't1', [1, 'x'], { b: 2, a: { y: 1, x: 2 } });
    const b = utils.generateCacheKey('read', 'u1', 't1', [1, 'x'], { a: { x: 2, y: 1 }, b: 2 });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(utils.generateCacheKey('read', 'u2', 't1', [1, 'x'], { b: 2 })).not.toBe(
      utils.generateCacheKey('read', 'u1', 't1', [1, 'x'], { b: 2 }),
    );
    expect(utils.generateCacheKey('read', 'u1', 't2', [], {})).not.toBe(utils.generateCacheKey('read', 'u1', 't1', [], {}));
    expect(() => utils.generateCacheKey('read', 'u1', 't1', [10n], {})).toThrow(TypeError);
  });

  it('caches with a TTL (lazy expiry) and clears', () => {
    utils = new ExecutionUtils({ cacheTtlMs: 1000 });
    utils.addToCache('k', 'v');
    utils.addToCache('forever', 'v', 0);
    expect(utils.getFromCache('k')).toBe('v');
    jest.setSystemTime(1001);
    expect(utils.getFromCache('k')).toBeUndefined();
    expect(utils.getFromCache('forever')).toBe('v');
    utils.clearCache();
    expect(utils.getFromCache('forever')).toBeUndefined();
  });

  it('accepts a CacheStore: reads and writes go to it, and close() leaves it open (its creator closes it)', async () => {
    const backing = new MemoryCacheStore({ maxSize: 10 });
    const calls: string[] = [];
    const store: CacheStore = {
      get: async (key) => (calls.push(`get ${key}`), backing.get(key)),
      set: async (key, value, ttlMs) => void (calls.push(`set ${key} ${ttlMs}`), backing.set(key, value, ttlMs)),
      delete: (key) => backing.delete(key),
      clear: () => void calls.push('clear'),
      close: () => void calls.push('close'),
    };
    utils = new ExecutionUtils({ cacheStore: store, cacheTtlMs: 500 });
    await utils.addToCache('k', { v: 1 });
    await expect(utils.getFromCache('k')).resolves.toEqual({ v: 1 });
    await utils.clearCache();
    await utils.close();
    expect(calls).toEqual(['set k 500', 'get k', 'clear']);
    expect(backing.get('k')).toEqual({ v: 1 });
  });

  it('createRetryStrategy returns a cockatiel policy making retryAttempts total attempts, logging each retry', async () => {
    const logger = recordingLogger();
    utils = new ExecutionUtils({ retryAttempts: 3, retryBackoffMs: 10, logger });
    let calls = 0;
    const policy = utils.createRetryStrategy('fetch');
    const run = policy.execute(() => {
      calls++;
      throw new Error('nope');
    });
    const settled = Promise.allSettled([run]);
    await jest.runAllTimersAsync();
    await settled;
    expect(calls).toBe(3);
    expect(logger.lines.filter((l) => l.message === 'retrying').map((l) => l.fields?.operation)).toEqual(['fetch', 'fetch']);
  });

  it('createRetryStrategy does not retry validation errors', async () => {
    utils = new ExecutionUtils({ retryAttempts: 5, logger: recordingLogger() });
    let calls = 0;
    await expect(
      utils.createRetryStrategy().execute(() => {
        calls++;
        throw new InputValidationError([{ path: 'x', constraints: { isInt: 'x must be an integer' } }]);
      }),
    ).rejects.toBeInstanceOf(InputValidationError);
    expect(calls).toBe(1);
  });

  it('executeWithRetryAndTimeout: the deadline bounds retries and backoff; no attempt after it', async () => {
    utils = new ExecutionUtils({ retryAttempts: 10, retryBackoffMs: 400 });
    const started: number[] = [];
    const failing = async (x: number) => {
      started.push(Date.now());
      throw new Error(`fail ${x}`);
    };
    const settled = Promise.allSettled([utils.executeWithRetryAndTimeout(failing, 1000, 1)]);
    await jest.advanceTimersByTimeAsync(60_000);
    const [result] = await settled;
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
    expect(started.every((t) => t < 1000)).toBe(true);
    expect(started.length).toBeGreaterThanOrEqual(2);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('executeWithRetryAndTimeout passes its arguments and returns the value', async () => {
    utils = new ExecutionUtils();
    await expect(utils.executeWithRetryAndTimeout(async (a: number, b: number) => a + b, 1000, 2, 3)).resolves.toBe(5);
  });

  it('withTimeout rejects at the deadline and aborts the signal, even if fn ignores it', async () => {
    utils = new ExecutionUtils();
    let signal: AbortSignal | undefined;
    let settledAt = -1;
    const pending = utils
      .withTimeout(250, (s) => {
        signal = s;
        return new Promise((resolve) => setTimeout(resolve, 10_000));
      })
      .finally(() => (settledAt = Date.now()));
    const settled = Promise.allSettled([pending]);
    await jest.advanceTimersByTimeAsync(300);
    const [result] = await settled;
    expect(settledAt).toBe(250);
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
  });
});
