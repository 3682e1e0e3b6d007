import { RedisCacheStore, type RedisCacheStoreOptions } from './RedisCacheStore';

export { RedisCacheStore, type RedisCacheStoreOptions } from './RedisCacheStore';
export { CacheUnavailableError } from './CacheUnavailableError';
export { failFastOptions, DEFAULT_TIMINGS, type FailFastTimings } from './clientOptions';
export { RedisFlightLocks } from './RedisFlightLocks';
export { encodeValue, decodeValue } from './serialise';

/**
 * What the executor calls for `CACHE_BACKEND=redis` (`cacheRedisUrl` / `CACHE_REDIS_URL`, `cachePrefix` /
 * `CACHE_PREFIX`); the runtime that asked closes the store.
 */
export function createCacheStore(options: Pick<RedisCacheStoreOptions, 'url' | 'prefix'> = {}): RedisCacheStore {
  return new RedisCacheStore(options);
}
