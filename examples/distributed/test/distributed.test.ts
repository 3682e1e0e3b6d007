import { describeWithRedis, redisForTests, type RedisForTests } from '../../../packages/cache-redis/test/redisTestServer';
import { Redis } from 'ioredis';
import { runDistributedDemo } from '../src/distributed';

jest.setTimeout(120_000);

describeWithRedis('distributed example', () => {
  let redis: RedisForTests;
  beforeAll(async () => {
    redis = await redisForTests();
  });
  afterAll(() => redis.release());

  it('B hits the entry A stored; a burst missed by both runs the backend once; metrics are printed', async () => {
    const prefix = redis.prefix();
    const lines: string[] = [];
    try {
      const result = await runDistributedDemo({ redisUrl: redis.url, prefix, backendMs: 300 }, (line) => lines.push(line));
      expect(result.sharedHit.bRanBackend).toBe(false);
      expect(result.sharedHit.sameValue).toBe(true);
      expect(result.sharedHit.hitMs).toBeLessThan(result.sharedHit.missMs);
      expect(result.singleFlight.backendRuns).toBe(1);
      expect(result.singleFlight.sameValue).toBe(true);
      expect(result.metricsText).toMatch(/^tool_cache_hits_total\{tool_name="search"\} 2$/m);
      expect(lines.some((l) => l.includes("hit of A's entry"))).toBe(true);
      expect(lines.some((l) => l.includes('backend runs across both: 1'))).toBe(true);
    } finally {
      const raw = new Redis(redis.url);
      const keys = await raw.keys(`${prefix}*`);
      if (keys.length > 0) await raw.unlink(...keys);
      await raw.quit();
    }
  });
});
