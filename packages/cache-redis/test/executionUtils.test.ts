// ExecutionUtils picks its store from CACHE_BACKEND like a runtime does, and keeps to its own namespace there.
import { createApp, ExecutionUtils } from '@aiecs/executor';
import { Redis } from 'ioredis';
import { SearchTool } from './fixtures/sharedTool';
import { describeWithRedis, redisForTests, type RedisForTests } from './redisTestServer';

jest.setTimeout(30_000);

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describeWithRedis('ExecutionUtils with CACHE_BACKEND=redis', () => {
  let redis: RedisForTests;
  let raw: Redis;
  let prefix: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    redis = await redisForTests();
    raw = new Redis(redis.url);
  });
  beforeEach(() => {
    prefix = redis.prefix();
    Object.assign(process.env, { CACHE_BACKEND: 'redis', CACHE_REDIS_URL: redis.url, CACHE_PREFIX: prefix });
  });
  afterEach(async () => {
    for (const variable of ['CACHE_BACKEND', 'CACHE_REDIS_URL', 'CACHE_PREFIX']) {
      if (saved[variable] === undefined) delete process.env[variable];
      else process.env[variable] = saved[variable];
    }
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.unlink(...keys);
  });
  afterAll(async () => {
    await raw.quit();
    await redis.release();
  });

  it('stores in Redis under CACHE_PREFIX: a second instance (another process) reads the entry', async () => {
    const one = new ExecutionUtils({ logger: quiet });
    const two = new ExecutionUtils({ logger: quiet });
    try {
      await one.addToCache('k', { at: new Date(5), n: 1 }, 10_000);
      expect(await two.getFromCache('k')).toStrictEqual({ at: new Date(5), n: 1 });
      expect(await raw.pttl(`${prefix}execution-utils:k`)).toBeGreaterThan(9_000);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it("clearCache() removes the helper's entries only, not the tools' entries under the same prefix", async () => {
    const utils = new ExecutionUtils({ logger: quiet });
    const app = createApp({ tools: [SearchTool], logger: quiet });
    try {
      await app.run('search.search', { query: 'kept', delayMs: 0 });
      await utils.addToCache('gone', 1);
      await utils.clearCache();
      expect(await utils.getFromCache('gone')).toBeUndefined();
      await app.run('search.search', { query: 'kept', delayMs: 0 });
      expect(app.tool(SearchTool).runs).toBe(1); // the tool's entry survived: the second call was a hit
    } finally {
      await utils.close();
      await app.close();
    }
  });

  it('an explicit option wins over the variable; an unknown backend is refused', async () => {
    const memory = new ExecutionUtils({ cacheBackend: 'memory', logger: quiet });
    memory.addToCache('m', 1);
    expect(memory.getFromCache('m')).toBe(1); // synchronous: the in-memory store
    await memory.close();
    expect(() => new ExecutionUtils({ cacheBackend: 'mongo' as never })).toThrow(/cacheBackend/);
  });

  it('a dead server is a miss and a skipped write, warned once per kind of access, never a rejection', async () => {
    const warnings: string[] = [];
    const utils = new ExecutionUtils({
      cacheRedisUrl: 'redis://127.0.0.1:1',
      logger: { ...quiet, warn: (message: string) => void warnings.push(message) },
    });
    try {
      await expect(utils.addToCache('k', 1)).resolves.toBeUndefined();
      await expect(utils.getFromCache('k')).resolves.toBeUndefined();
      await expect(utils.getFromCache('k')).resolves.toBeUndefined();
      // One warning per outage of each kind of access, as for tool calls (reads and writes are tracked apart).
      expect(warnings.filter((w) => w.includes('going on without the cache'))).toEqual([
        'cache set is failing; going on without the cache (logged once until it recovers)',
        'cache get is failing; going on without the cache (logged once until it recovers)',
      ]);
    } finally {
      await utils.close();
    }
  });
});
