// CACHE_BACKEND / CACHE_REDIS_URL / CACHE_PREFIX select the store the runtime creates; a store passed in wins.
import { ConfigurationError } from '@aiecs/core';
import { createApp, MemoryCacheStore, resolveToolConfig, setBackendModuleLoader, ToolRuntime } from '@aiecs/executor';
import { Redis } from 'ioredis';
import { RedisCacheStore } from '../src';
import { SearchTool } from './fixtures/sharedTool';
import { describeWithRedis, redisForTests, type RedisForTests } from './redisTestServer';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Runs `fn` with `vars` set in process.env, restored afterwards. */
async function withEnv(vars: Record<string, string>, fn: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('cache backend configuration', () => {
  it('refuses an unknown CACHE_BACKEND, naming the variable', () => {
    expect(() => resolveToolConfig({}, { CACHE_BACKEND: 'memcached' })).toThrow(ConfigurationError);
    expect(() => resolveToolConfig({}, { CACHE_BACKEND: 'memcached' })).toThrow(/CACHE_BACKEND/);
    expect(() => resolveToolConfig({ cacheBackend: 'disk' as never })).toThrow(/cacheBackend/);
  });

  it('RedisCacheStore refuses bad options with a ConfigurationError naming the option', () => {
    expect(() => new RedisCacheStore({ prefix: '' })).toThrow(/RedisCacheStore.prefix/);
    expect(() => new RedisCacheStore({ commandTimeoutMs: -1 })).toThrow(/RedisCacheStore.commandTimeoutMs/);
    expect(() => new RedisCacheStore({ failureThreshold: 1.5 })).toThrow(/RedisCacheStore.failureThreshold/);
    expect(() => new RedisCacheStore({ url: 42 as never })).toThrow(/RedisCacheStore.url/);
    expect(() => new RedisCacheStore(null as never)).toThrow(ConfigurationError);
  });

  it('memory is the default', () => {
    const runtime = new ToolRuntime({ config: {} });
    expect(runtime.cache).toBeInstanceOf(MemoryCacheStore);
    return runtime.close();
  });

  it('redis without the package installed: a ConfigurationError that says what to install', () => {
    const previous = setBackendModuleLoader(() => {
      throw new Error("Cannot find module '@aiecs/cache-redis'");
    });
    try {
      const runtime = new ToolRuntime({ config: { cacheBackend: 'redis' } });
      expect(() => runtime.cache).toThrow(ConfigurationError);
      expect(() => runtime.cache).toThrow(/npm install @aiecs\/cache-redis/);
    } finally {
      setBackendModuleLoader(previous);
    }
  });
});

describeWithRedis('CACHE_BACKEND=redis', () => {
  let redis: RedisForTests;
  beforeAll(async () => {
    redis = await redisForTests();
  });
  afterAll(() => redis.release());

  it('createApp builds (and closes) a RedisCacheStore from the environment, keys under CACHE_PREFIX', async () => {
    const prefix = redis.prefix();
    await withEnv({ CACHE_BACKEND: 'redis', CACHE_REDIS_URL: redis.url, CACHE_PREFIX: prefix }, async () => {
      const app = createApp({ tools: [SearchTool], logger: quiet });
      const store = app.runtime.cache;
      expect(store).toBeInstanceOf(RedisCacheStore);
      expect((store as RedisCacheStore).prefix).toBe(prefix);
      await app.run('search.search', { query: 'env', delayMs: 0 });
      await app.run('search.search', { query: 'env', delayMs: 0 });
      expect(app.getMetrics()['search']!.cacheHits).toBe(1);
      const raw = new Redis(redis.url);
      try {
        expect((await raw.keys(`${prefix}*`)).length).toBeGreaterThan(0);
        await app.close();
        // The runtime created the store, so it closed it.
        await expect(store.get('x')).rejects.toThrow(/closed/);
        const keys = await raw.keys(`${prefix}*`);
        if (keys.length > 0) await raw.unlink(...keys);
      } finally {
        await raw.quit();
      }
    });
  });

  it('a store passed to createApp wins over CACHE_BACKEND and is not closed by the app', async () => {
    const store = new MemoryCacheStore({ maxSize: 10 });
    await withEnv({ CACHE_BACKEND: 'redis', CACHE_REDIS_URL: redis.url }, async () => {
      const app = createApp({ tools: [SearchTool], cacheStore: store, logger: quiet });
      expect(app.runtime.cache).toBe(store);
      await app.close();
    });
  });
});
