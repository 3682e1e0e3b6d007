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
      // B made 4 calls: two hits of A's entry, a warm-up miss, and the burst, which is a miss that waits for A's
      // flight or, when B's request arrives after A stored the entry (a loaded host), a hit.
      const series = (name: string): number => Number(new RegExp(`^${name}\\{[^}]*\\} (\\d+)$`, 'm').exec(result.metricsText)?.[1]);
      expect(series('tool_executions_total')).toBe(4);
      expect(series('tool_cache_hits_total')).toBeGreaterThanOrEqual(2);
      expect(series('cache_hits_total') + series('cache_misses_total')).toBe(4);
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
