// Cross-process single-flight locks against a real Redis: compare-and-delete, a dead holder released by
// the TTL, a waiter released by its own deadline, and two runtimes (as two processes would) running once.
import { TimeoutError } from '@aiecs/core';
import { Redis } from 'ioredis';
import { RedisCacheStore, type RedisCacheStoreOptions } from '../src';
import { SearchTool } from './fixtures/sharedTool';
import { describeWithRedis, redisForTests, type RedisForTests } from './redisTestServer';

jest.setTimeout(30_000);

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describeWithRedis('RedisFlightLocks', () => {
  let redis: RedisForTests;
  let raw: Redis;
  const stores: RedisCacheStore[] = [];
  let prefix: string;

  beforeAll(async () => {
    redis = await redisForTests();
    raw = new Redis(redis.url);
  });
  beforeEach(() => {
    prefix = redis.prefix();
  });
  afterEach(async () => {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.unlink(...keys);
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await raw.quit();
    await redis.release();
  });

  function store(options: Pick<RedisCacheStoreOptions, 'flightPollMs' | 'logger'> = {}): RedisCacheStore {
    const s = new RedisCacheStore({ url: redis.url, prefix, ...options });
    stores.push(s);
    return s;
  }

  it('only the holder releases its lock (compare-and-delete); a second acquire waits its turn', async () => {
    const locks = store().flightLocks;
    const token = await locks.acquire('k', 5_000);
    expect(token).toEqual(expect.any(String));
    expect(await locks.acquire('k', 5_000)).toBeUndefined();
    await locks.release('k', 'not-the-token');
    expect(await raw.get(`${prefix}aiecs:lock:k`)).toBe(token);
    await locks.release('k', token!);
    expect(await raw.exists(`${prefix}aiecs:lock:k`)).toBe(0);
    const again = await locks.acquire('k', 5_000);
    expect(await raw.pttl(`${prefix}aiecs:lock:k`)).toBeGreaterThan(4_000);
    await locks.release('k', again!);
  });

  it('a waiter is woken by the release message, well before its poll interval', async () => {
    const [a, b] = [store().flightLocks, store({ flightPollMs: 5_000 }).flightLocks];
    const token = await a.acquire('w', 5_000);
    await b.acquire('w', 5_000); // subscribes b
    await new Promise((resolve) => setTimeout(resolve, 100));
    const wait = b.waitForRelease('w');
    const started = performance.now();
    await a.release('w', token!);
    await wait.promise;
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('two runtimes (two processes) with concurrent identical misses run the method once', async () => {
    const one = new SearchTool({ cacheStore: store(), logger: quiet });
    const two = new SearchTool({ cacheStore: store(), logger: quiet });
    try {
      const input = { query: 'once', delayMs: 300 };
      const [a, b] = await Promise.all([one.run('search', input), two.run('search', input)]);
      expect(one.runs + two.runs).toBe(1);
      expect(a).toStrictEqual(b);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it("a holder that died (its lock never released) blocks the key only until the lock's TTL", async () => {
    const s = store({ flightPollMs: 50 });
    const tool = new SearchTool({ cacheStore: s, logger: quiet });
    try {
      const input = { query: 'orphan', delayMs: 0 };
      // Just before the call takes its key's lock, another "replica" takes it and dies holding it.
      const lockKeys: string[] = [];
      const acquire = s.flightLocks.acquire.bind(s.flightLocks);
      s.flightLocks.acquire = async (key, ttlMs) => {
        if (lockKeys.length === 0) {
          lockKeys.push(key);
          await raw.set(`${prefix}aiecs:lock:${key}`, 'dead-holder', 'PX', 400); // a crashed replica's lock
        }
        return acquire(key, ttlMs);
      };
      const started = performance.now();
      await expect(tool.run('search', input)).resolves.toMatchObject({ query: 'orphan' });
      const elapsed = performance.now() - started;
      expect(tool.runs).toBe(1);
      expect(elapsed).toBeGreaterThanOrEqual(350);
      expect(elapsed).toBeLessThan(3_000);
    } finally {
      await tool.close();
    }
  });

  it('a waiter is released by its own deadline, not by the holder', async () => {
    const s = store({ flightPollMs: 50 });
    const tool = new SearchTool({ cacheStore: s, logger: quiet, timeoutMs: 300, retryAttempts: 1 });
    try {
      const acquire = s.flightLocks.acquire.bind(s.flightLocks);
      s.flightLocks.acquire = async (key, ttlMs) => {
        await raw.set(`${prefix}aiecs:lock:${key}`, 'slow-holder', 'PX', 20_000, 'NX');
        return acquire(key, ttlMs);
      };
      const started = performance.now();
      await expect(tool.run('search', { query: 'stuck', delayMs: 0 })).rejects.toBeInstanceOf(TimeoutError);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(280);
      expect(elapsed).toBeLessThan(1_500);
      expect(tool.runs).toBe(0);
    } finally {
      await tool.close();
    }
  });

  /** A store whose flight locks are all taken for `ttlMs`, and the warnings its logger was told. */
  function shortLockStore(ttlMs: number): { s: RedisCacheStore; warnings: string[] } {
    const warnings: string[] = [];
    const s = store({ logger: { ...quiet, warn: (message: string) => void warnings.push(message) } });
    const acquire = s.flightLocks.acquire.bind(s.flightLocks);
    s.flightLocks.acquire = (key) => acquire(key, ttlMs);
    return { s, warnings };
  }

  it('a lock lost while its execution runs: one warning, no extension of the new holder, the call still succeeds', async () => {
    const { s, warnings } = shortLockStore(300);
    const tool = new SearchTool({ cacheStore: s, logger: quiet });
    try {
      const call = tool.run('search', { query: 'lost', delayMs: 1_000 });
      let lock: string | undefined;
      while (lock === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        lock = (await raw.keys(`${prefix}aiecs:lock:*`))[0];
      }
      await raw.set(lock, 'new-holder', 'PX', 10_000); // as if it had expired and another process took it
      await new Promise((resolve) => setTimeout(resolve, 400)); // more than one renewal interval
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/lock lost/);
      expect(await raw.pttl(lock)).toBeGreaterThan(9_000); // the new holder's TTL, never reset by us
      expect(s.flightLocks.heldLocks).toBe(0);
      await expect(call).resolves.toMatchObject({ query: 'lost' });
      expect(tool.runs).toBe(1);
      expect(await raw.get(lock)).toBe('new-holder'); // our release left the new holder's lock alone
      expect(warnings).toHaveLength(1);
    } finally {
      await tool.close();
    }
  });

  it('extensions stop at the release: a later holder of the key is never touched', async () => {
    const { s, warnings } = shortLockStore(90);
    const locks = s.flightLocks;
    const token = await locks.acquire('r', 90);
    await new Promise((resolve) => setTimeout(resolve, 200)); // several renewals
    expect(await raw.get(`${prefix}aiecs:lock:r`)).toBe(token);
    expect(locks.heldLocks).toBe(1);
    await locks.release('r', token!);
    expect(locks.heldLocks).toBe(0);
    await raw.set(`${prefix}aiecs:lock:r`, 'next', 'PX', 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(warnings).toEqual([]); // a renewal still running would have found 'next' and warned
    expect(await raw.pttl(`${prefix}aiecs:lock:r`)).toBeGreaterThan(9_000);
  });
});
