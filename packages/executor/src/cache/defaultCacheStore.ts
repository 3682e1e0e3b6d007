import { ConfigurationError } from '@aiecs/core';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ToolConfig } from '../config/ToolConfig';
import type { CacheStore } from './CacheStore';
import { MemoryCacheStore } from './MemoryCacheStore';

/** What a cache backend package exports for the runtime to build its store from configuration. */
export interface CacheBackendModule {
  /** A store for `url` whose keys start with `prefix` (each defaulted by the package when absent). */
  createCacheStore(options: { readonly url?: string; readonly prefix?: string }): CacheStore;
}

/** The package behind `cacheBackend: 'redis'`: an optional peer, loaded only when selected. */
export const REDIS_BACKEND_PACKAGE = '@aiecs/cache-redis';

/**
 * Loads an optional backend package by name. A plain `require` of a computed name, so neither the
 * type checker nor a bundler makes the executor depend on the plug-in (the plug-in depends on the
 * executor, never the reverse). Overridable for tests.
 */
export let loadBackendModule = (name: string): unknown => {
  // The CommonJS build has `require`; the ES module build resolves from the application's directory.
  const load = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'package.json'));
  return load(name);
};

/** Replaces the module loader (tests); returns the previous one. */
export function setBackendModuleLoader(loader: (name: string) => unknown): (name: string) => unknown {
  const previous = loadBackendModule;
  loadBackendModule = loader;
  return previous;
}

/** The Redis backend's module, or a `ConfigurationError` saying how to install it. */
function redisBackend(): CacheBackendModule {
  let loaded: unknown;
  try {
    loaded = loadBackendModule(REDIS_BACKEND_PACKAGE);
  } catch (error) {
    throw new ConfigurationError(
      'cacheBackend',
      'redis',
      `CACHE_BACKEND=redis needs the ${REDIS_BACKEND_PACKAGE} package: npm install ${REDIS_BACKEND_PACKAGE} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
  }
  if (typeof (loaded as Partial<CacheBackendModule> | null)?.createCacheStore !== 'function') {
    throw new ConfigurationError('cacheBackend', 'redis', `${REDIS_BACKEND_PACKAGE} does not export createCacheStore()`);
  }
  return loaded as CacheBackendModule;
}

/**
 * The store a runtime creates (and closes) when none is passed in: `cacheBackend` (`CACHE_BACKEND`)
 * selects the in-memory LRU (`cacheSize`, `cacheTtlMs`) or the Redis store (`cacheRedisUrl`, `cachePrefix`).
 */
export function createDefaultCacheStore(
  config: Pick<ToolConfig, 'cacheBackend' | 'cacheRedisUrl' | 'cachePrefix' | 'cacheSize' | 'cacheTtlMs'>,
): CacheStore {
  if (config.cacheBackend === 'redis') return redisBackend().createCacheStore({ url: config.cacheRedisUrl, prefix: config.cachePrefix });
  return new MemoryCacheStore({ maxSize: config.cacheSize, defaultTtlMs: config.cacheTtlMs });
}
