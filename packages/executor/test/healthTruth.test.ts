import { CircuitBreaker, CircuitOpenError } from '@aiecs/core';
import { BaseTool, MemoryCacheStore, type CacheStore } from '../src';
import { FileTool, recordingLogger } from './fixtures';

const HALF_OPEN_AFTER_MS = 1000;

class Backend extends BaseTool {
  healthy = false;

  @CircuitBreaker({ threshold: 2, halfOpenAfterMs: HALF_OPEN_AFTER_MS })
  async fetch(_input: object): Promise<string> {
    if (!this.healthy) throw new Error('backend down');
    return 'data';
  }
}

const quiet = { logger: recordingLogger(), timeoutMs: 0, retryAttempts: 1 };

async function open(tool: Backend): Promise<void> {
  await tool.run('fetch', {}).catch(() => undefined);
  await tool.run('fetch', {}).catch(() => undefined);
  await expect(tool.run('fetch', {})).rejects.toBeInstanceOf(CircuitOpenError);
}

describe('health tells the truth about circuits', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('an open circuit past halfOpenAfterMs is reported half-open by healthCheck() and getMetrics(), with no traffic', async () => {
    const tool = new Backend(quiet);
    await open(tool);
    expect((await tool.executor.healthCheck()).circuits).toEqual({ fetch: 'open' });

    jest.setSystemTime(HALF_OPEN_AFTER_MS - 1);
    expect(tool.executor.getMetrics().byOperation.fetch!.circuit).toBe('open');

    jest.setSystemTime(HALF_OPEN_AFTER_MS);
    const report = await tool.executor.healthCheck();
    expect(report.circuits).toEqual({ fetch: 'half-open' });
    expect(report.status).toBe('degraded');
    expect(report.error).toContain('fetch: half-open');
    expect(report.metrics.byOperation.fetch!.circuit).toBe('half-open');
    expect(tool.executor.getMetrics().byOperation.fetch!.circuit).toBe('half-open');

    // The trial call then closes it, as cockatiel decides.
    tool.healthy = true;
    await expect(tool.run('fetch', {})).resolves.toBe('data');
    expect(await tool.executor.healthCheck()).toMatchObject({ status: 'healthy', circuits: { fetch: 'closed' } });
  });

  it('a failed trial re-opens the circuit: open again until another halfOpenAfterMs has passed', async () => {
    const tool = new Backend(quiet);
    await open(tool);
    jest.setSystemTime(HALF_OPEN_AFTER_MS + 500);
    expect(tool.executor.getMetrics().byOperation.fetch!.circuit).toBe('half-open');
    await expect(tool.run('fetch', {})).rejects.toThrow('backend down'); // the trial fails
    expect(tool.executor.getMetrics().byOperation.fetch!.circuit).toBe('open');
    jest.setSystemTime(2 * HALF_OPEN_AFTER_MS + 499);
    expect(tool.executor.getMetrics().byOperation.fetch!.circuit).toBe('open');
    jest.setSystemTime(2 * HALF_OPEN_AFTER_MS + 500);
    expect((await tool.executor.healthCheck()).circuits).toEqual({ fetch: 'half-open' });
  });

  it('a tool with an open circuit is degraded, and says which circuit', async () => {
    const tool = new Backend(quiet);
    await open(tool);
    const report = await tool.executor.healthCheck();
    expect(report).toMatchObject({ status: 'degraded', circuits: { fetch: 'open' } });
    expect(report.error).toContain('fetch: open');
  });

  it('a closed circuit is healthy', async () => {
    const tool = new Backend(quiet);
    tool.healthy = true;
    await tool.run('fetch', {});
    expect(await tool.executor.healthCheck()).toMatchObject({ status: 'healthy', circuits: { fetch: 'closed' } });
  });
});

describe('health probe keys', () => {
  it('two concurrent health checks on one shared store both report ok (each probes a key of its own)', async () => {
    const inner = new MemoryCacheStore({ maxSize: 100 });
    const keys: string[] = [];
    // Slow, so the two round trips interleave: a shared probe key would make one read the other's value.
    const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    const shared: CacheStore = {
      acceptsRawKeys: true,
      get: async (key) => (await tick(), inner.get(key)),
      set: async (key, value, ttlMs) => {
        keys.push(key);
        await tick();
        inner.set(key, value, ttlMs);
      },
      delete: async (key) => (await tick(), inner.delete(key)),
      clear: (prefix) => inner.clear(prefix),
      close: () => inner.close(),
    };
    const a = new FileTool({ logger: recordingLogger(), cacheStore: shared });
    const b = new FileTool({ logger: recordingLogger(), cacheStore: shared });
    const reports = await Promise.all([a.executor.healthCheck(), b.executor.healthCheck(), a.executor.healthCheck()]);
    expect(reports.map((r) => [r.status, r.cache])).toEqual([
      ['healthy', 'ok'],
      ['healthy', 'ok'],
      ['healthy', 'ok'],
    ]);
    expect(new Set(keys).size).toBe(3);
    await Promise.all([a.close(), b.close()]);
  });
});
