// A Redis outage mid-run, on a redis-server of this test's own: calls keep succeeding within the bound,
// one warning per outage, the breaker stops sending, and hits resume by themselves after the restart.
import type { ToolEventListener } from '@aiecs/executor';
import { CacheUnavailableError, RedisCacheStore } from '../src';
import { SearchTool } from './fixtures/sharedTool';
import { describeWithRedis, RedisServerProcess } from './redisTestServer';

jest.setTimeout(60_000);

/** Where the pipeline bounds a cache read (the default `cacheTimeoutMs`). */
const READ_BOUND_MS = 50;

describeWithRedis('a Redis outage mid-run', () => {
  let server: RedisServerProcess;
  beforeAll(async () => {
    server = await RedisServerProcess.start();
  });
  afterAll(() => server?.dispose());

  it('never fails a call, bounds each one, warns once, and recovers by itself', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (message: string) => void warnings.push(message) };
    const store = new RedisCacheStore({ url: server.url, prefix: 'outage:', halfOpenAfterMs: 200, maxReconnectDelayMs: 200 });
    await store.ready();
    const tool = new SearchTool({ cacheStore: store, logger, cacheTimeoutMs: READ_BOUND_MS });
    const errors: string[] = [];
    const listener: ToolEventListener = { cacheError: (e) => void errors.push(String(e.error)) };
    tool.executor.events.subscribe(listener);
    const input = { query: 'outage', delayMs: 0 };
    try {
      await tool.run('search', input);
      await tool.run('search', input);
      expect(tool.executor.getMetrics().cacheHits).toBe(1);

      await server.stop();
      const durations: number[] = [];
      for (let i = 0; i < 40; i++) {
        const started = performance.now();
        await expect(tool.run('search', { query: `during-${i % 4}`, delayMs: 0 })).resolves.toMatchObject({ query: `during-${i % 4}` });
        durations.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // Each read failed fast or at the bound: far from ioredis's ~10 s of default retries.
      expect(Math.max(...durations)).toBeLessThan(READ_BOUND_MS + 450);
      // One warning per kind of access for the whole outage, not one per call.
      expect(warnings.filter((w) => w.includes('cache get is failing'))).toHaveLength(1);
      expect(warnings.filter((w) => w.includes('cache set is failing')).length).toBeLessThanOrEqual(1);
      // The breaker opened: later calls were refused without a command being sent.
      expect(errors.some((e) => e.includes('breaker is open'))).toBe(true);

      await server.restart();
      // Recovery by itself: the same input is stored again, then hits (Redis restarted empty).
      const hitsBefore = tool.executor.getMetrics().cacheHits;
      const until = Date.now() + 10_000;
      while (tool.executor.getMetrics().cacheHits === hitsBefore && Date.now() < until) {
        await tool.run('search', input);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(tool.executor.getMetrics().cacheHits).toBeGreaterThan(hitsBefore);
    } finally {
      await tool.close();
      await store.close();
    }
  });

  it('a hung server (paused, connection open) fails waiting commands within 1.25 x commandTimeoutMs, and the store recovers', async () => {
    const commandTimeoutMs = 200;
    const store = new RedisCacheStore({
      url: server.url,
      prefix: 'hung:',
      commandTimeoutMs,
      halfOpenAfterMs: 200,
      maxReconnectDelayMs: 200,
    });
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const tool = new SearchTool({ cacheStore: store, logger: quiet, cacheTimeoutMs: READ_BOUND_MS });
    try {
      await store.set('k', { kept: true }, 60_000);
      await expect(store.get('k')).resolves.toEqual({ kept: true });

      server.pause();
      const started = performance.now();
      // Sent to a connection that stays open and answers nothing: no command timer is armed, the watchdog drops it.
      const waiting = await Promise.allSettled([store.get('k'), store.get('k'), store.set('other', 1, 1_000)]);
      const waited = performance.now() - started;
      for (const outcome of waiting) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(CacheUnavailableError);
      }
      expect(waited).toBeGreaterThanOrEqual(commandTimeoutMs * 0.95);
      expect(waited).toBeLessThan(commandTimeoutMs * 1.25 + 150);

      // While it stays hung, reads fail at once (not connected, then the breaker), and calls go on as misses within the bound.
      const quick = performance.now();
      await expect(store.get('k')).rejects.toBeInstanceOf(CacheUnavailableError);
      expect(performance.now() - quick).toBeLessThan(50);
      const call = performance.now();
      await expect(tool.run('search', { query: 'while hung', delayMs: 0 })).resolves.toMatchObject({ query: 'while hung' });
      expect(performance.now() - call).toBeLessThan(READ_BOUND_MS + 100);

      server.resume();
      // The client reconnects by itself; the entry written before the hang is read again.
      const until = Date.now() + 10_000;
      let value: unknown;
      while (value === undefined && Date.now() < until) {
        value = await store.get('k').catch(() => undefined);
        if (value === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(value).toEqual({ kept: true });
    } finally {
      server.resume();
      await tool.close();
      await store.close();
    }
  });

  it('closing a store while its server is hung does not hang (the QUIT is bounded)', async () => {
    const store = new RedisCacheStore({ url: server.url, prefix: 'hung-close:', commandTimeoutMs: 200 });
    try {
      await store.ready();
      await store.flightLocks.acquire('k', 1_000); // opens the subscriber connection too
      server.pause();
      const started = performance.now();
      await store.close();
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      server.resume();
    }
  });

  it('a store created while Redis is down answers misses at once and connects when it comes up', async () => {
    await server.stop();
    const store = new RedisCacheStore({
      url: server.url,
      prefix: 'late:',
      connectTimeoutMs: 200,
      halfOpenAfterMs: 200,
      maxReconnectDelayMs: 200,
    });
    const tool = new SearchTool({ cacheStore: store, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    try {
      const started = performance.now();
      await expect(tool.run('search', { query: 'late', delayMs: 0 })).resolves.toMatchObject({ query: 'late' });
      expect(performance.now() - started).toBeLessThan(500);
      await server.restart();
      const until = Date.now() + 10_000;
      let stored = false;
      while (!stored && Date.now() < until) {
        stored =
          (await store.get('probe').then(
            () => true,
            () => false,
          )) && true;
        if (!stored) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(stored).toBe(true);
    } finally {
      await tool.close();
      await store.close();
      if (!server.running) await server.restart();
    }
  });
});
