import { Redis } from 'ioredis';
import { RedisCacheStore } from '../src';
import { describeWithRedis, redisForTests, type RedisForTests } from './redisTestServer';

describeWithRedis('RedisCacheStore.getMemoryStats', () => {
  let redis: RedisForTests;
  let raw: Redis;
  beforeAll(async () => {
    redis = await redisForTests();
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    await raw.quit();
    await redis.release();
  });

  it('counts the entries under its prefix (not its locks, not other prefixes), their TTLs, and the bytes Redis accounts', async () => {
    const prefix = redis.prefix();
    const store = new RedisCacheStore({ url: redis.url, prefix });
    const other = new RedisCacheStore({ url: redis.url, prefix: redis.prefix() });
    try {
      expect(await store.getMemoryStats()).toEqual({ entries: 0, approxBytes: 0, ttlEntries: 0 });
      const value = 'x'.repeat(1_000);
      for (let i = 0; i < 30; i++) await store.set(`k${i}`, value, i < 10 ? 60_000 : 0);
      await other.set('k0', value, 0);
      await store.flightLocks.acquire('k0', 5_000);
      const stats = await store.getMemoryStats();
      expect(stats.entries).toBe(30);
      expect(stats.ttlEntries).toBe(10);
      expect(stats.maxSize).toBeUndefined();
      // Measured: at least the payload bytes, and no more than a few times them (key + overhead).
      expect(stats.approxBytes).toBeGreaterThanOrEqual(30 * 1_000);
      expect(stats.approxBytes).toBeLessThan(30 * 4_000);
      let exact = 0;
      for (let i = 0; i < 30; i++) exact += (await raw.call('MEMORY', 'USAGE', `${prefix}k${i}`, 'SAMPLES', '0')) as number;
      expect(stats.approxBytes).toBe(exact);
    } finally {
      await store.clear();
      await other.clear();
      await store.close();
      await other.close();
      const locks = await raw.keys(`${prefix}*`);
      if (locks.length > 0) await raw.unlink(...locks);
    }
  });

  it('past statsSampleSize keys it extrapolates from an even sample', async () => {
    const prefix = redis.prefix();
    const full = new RedisCacheStore({ url: redis.url, prefix });
    const sampled = new RedisCacheStore({ url: redis.url, prefix, statsSampleSize: 8 });
    try {
      // Sizes within ±10 % of their mean: any sample's mean is then within 25 % of the exact one (SCAN's
      // order, so which keys are sampled, changes with the random prefix).
      for (let i = 0; i < 100; i++) await full.set(`k${i}`, 'y'.repeat(200 + (i % 2) * 40), 0);
      const exact = await full.getMemoryStats();
      const estimate = await sampled.getMemoryStats();
      expect(estimate.entries).toBe(100);
      expect(Math.abs(estimate.approxBytes - exact.approxBytes) / exact.approxBytes).toBeLessThan(0.25);
    } finally {
      await full.clear();
      await full.close();
      await sampled.close();
    }
  });
});
