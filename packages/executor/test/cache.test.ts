import { CacheResult, type ToolContext } from '@aiecs/core';
import { BaseTool } from '../src';
import { FileTool, quiet } from './fixtures';

class Counter extends BaseTool {
  runs = 0;
  fail = false;

  @CacheResult({ ttlMs: 1000 })
  async get(input: { id: number }) {
    this.runs++;
    if (this.fail) throw new Error('backend down');
    return { id: input.id, run: this.runs };
  }

  @CacheResult({ ttlMs: 0 })
  async forever(input: { id: number }) {
    this.runs++;
    return input.id;
  }

  @CacheResult()
  async slow(input: { id: number }, ctx: ToolContext) {
    this.runs++;
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (input.id < 0) throw new Error(`bad id for ${ctx.userId}`);
    return input.id;
  }
}

const noRetry = { ...quiet, retryAttempts: 1 };

describe('@CacheResult', () => {
  afterEach(() => jest.useRealTimers());

  it('keeps users and tasks apart', async () => {
    const tool = new FileTool(quiet);
    const u1 = await tool.run('read', { path: 'a' }, { userId: 'u1', taskId: 't1' });
    const u2 = await tool.run('read', { path: 'a' }, { userId: 'u2', taskId: 't1' });
    const t2 = await tool.run('read', { path: 'a' }, { userId: 'u1', taskId: 't2' });
    expect(tool.calls).toBe(3);
    expect([u1.user, u2.user, t2.user]).toEqual(['u1', 'u2', 'u1']);
    await tool.run('read', { path: 'a' }, { userId: 'u2', taskId: 't1' });
    expect(tool.calls).toBe(3);
  });

  it('caches inputs whose key text is long (hashed) as well as short ones', async () => {
    const tool = new Counter(quiet);
    const long = { id: 1, note: 'x'.repeat(2000) } as never;
    await tool.run('forever', long);
    await tool.run('forever', long);
    expect(tool.runs).toBe(1);
  });

  it('does not depend on key order of the input', async () => {
    const tool = new Counter(quiet);
    await tool.run('get', { id: 1, extra: { b: 1, a: 2 } } as never);
    await tool.run('get', { extra: { a: 2, b: 1 }, id: 1 } as never);
    expect(tool.runs).toBe(1);
  });

  it('expires entries after ttlMs; ttlMs 0 never expires', async () => {
    jest.useFakeTimers({ now: 0 });
    const tool = new Counter(quiet);
    await tool.run('get', { id: 1 });
    await tool.run('forever', { id: 1 });
    jest.setSystemTime(999);
    await tool.run('get', { id: 1 });
    expect(tool.runs).toBe(2);
    jest.setSystemTime(1001);
    await tool.run('get', { id: 1 });
    jest.setSystemTime(10_000_000);
    await tool.run('forever', { id: 1 });
    expect(tool.runs).toBe(3);
    await tool.close();
  });

  it('evicts the least recently used entry when full', async () => {
    const tool = new Counter({ ...quiet, cacheSize: 2 });
    await tool.run('forever', { id: 1 });
    await tool.run('forever', { id: 2 });
    await tool.run('forever', { id: 1 }); // refreshes 1
    await tool.run('forever', { id: 3 }); // evicts 2
    expect(tool.runs).toBe(3);
    await tool.run('forever', { id: 1 });
    expect(tool.runs).toBe(3);
    await tool.run('forever', { id: 2 });
    expect(tool.runs).toBe(4);
  });

  it('never caches errors', async () => {
    const tool = new Counter(noRetry);
    tool.fail = true;
    await expect(tool.run('get', { id: 1 })).rejects.toThrow('backend down');
    tool.fail = false;
    await expect(tool.run('get', { id: 1 })).resolves.toMatchObject({ run: 2 });
  });

  it('cacheSize 0 and enableCache false cache nothing', async () => {
    for (const config of [{ cacheSize: 0 }, { enableCache: false }]) {
      const tool = new Counter({ ...quiet, ...config });
      await tool.run('forever', { id: 1 });
      await tool.run('forever', { id: 1 });
      expect(tool.runs).toBe(2);
      expect(tool.executor.describe('forever').stages).not.toContain('cacheLookup');
    }
  });

  it('concurrent identical misses run the method once and share the result', async () => {
    const tool = new Counter(quiet);
    const results = await Promise.all(Array.from({ length: 10 }, () => tool.run('slow', { id: 7 })));
    expect(results).toEqual(Array(10).fill(7));
    expect(tool.runs).toBe(1);
  });

  it('concurrent identical misses share an error, which is not cached', async () => {
    const tool = new Counter(noRetry);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => tool.run('slow', { id: -1 })));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(tool.runs).toBe(1);
    await expect(tool.run('slow', { id: -1 })).rejects.toThrow('bad id');
    expect(tool.runs).toBe(2);
  });

  it('counts requests, hits and misses (hit rate = cacheHits / requests)', async () => {
    const tool = new Counter(quiet);
    await tool.run('forever', { id: 1 });
    await tool.run('forever', { id: 1 });
    await tool.run('forever', { id: 1 });
    const metrics = tool.executor.getMetrics();
    expect(metrics).toMatchObject({ requests: 3, cacheHits: 2, cacheMisses: 1, failures: 0 });
  });
});
