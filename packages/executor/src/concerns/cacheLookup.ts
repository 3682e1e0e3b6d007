import { checkNumber } from '@aiecs/core';
import { eventBase } from '../events/eventBase';
import type { Call } from '../pipeline/Call';
import type { Handler } from '../pipeline/Handler';
import { defineConcern, type PlanSources } from './Concern';

/** The cache plan the three cache stages share: the entry lifetime (ms; 0 = never expires). */
export interface CachePlan {
  readonly ttlMs: number;
}

/** `@CacheResult`, unless caching is off for the tool (`enableCache: false`, `cacheSize: 0`). */
export function cachePlan({ declared, configured, config }: PlanSources): CachePlan | undefined {
  if (!config.enableCache || config.cacheSize === 0 || declared.cache === undefined) return undefined;
  return { ttlMs: configured.cacheTtlMs ?? declared.cache.ttlMs ?? config.cacheTtlMs };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

/**
 * Returns a cached result without validating: the key covers the raw input, and only inputs that
 * passed validation and sanitisation were ever stored. User and task are part of the key, so tenants
 * never share entries. An input the key cannot encode bypasses the cache; a failing store is a miss.
 */
export const cacheLookup = defineConcern({
  name: 'cacheLookup',
  reads: ['cache'],
  configKeys: ['cacheTtlMs'],
  check: (configured, path) => {
    if (configured.cacheTtlMs !== undefined) checkNumber(`${path}.cacheTtlMs`, configured.cacheTtlMs);
  },
  plan: cachePlan,
  create: (_plan, { cache, events }) => {
    const wrap = (next: Handler): Handler => {
      const miss = (call: Call, input: unknown): Promise<unknown> => {
        if (events.wants('cacheMiss')) events.emit('cacheMiss', eventBase(call));
        return next(call, input);
      };
      const failed = (call: Call, input: unknown, error: unknown): Promise<unknown> => {
        events.emit('cacheError', { ...eventBase(call), action: 'get', error });
        return miss(call, input);
      };
      const found = (call: Call, input: unknown, value: unknown): Promise<unknown> => {
        if (value === undefined) return miss(call, input);
        if (events.wants('cacheHit')) events.emit('cacheHit', eventBase(call));
        return Promise.resolve(value);
      };
      return (call, input) => {
        const key = call.key;
        if (key === undefined) return next(call, input);
        let value: unknown;
        try {
          value = cache.get(key);
        } catch (error) {
          return failed(call, input, error);
        }
        if (!isPromiseLike(value)) return found(call, input, value);
        return Promise.resolve(value).then(
          (v) => found(call, input, v),
          (error: unknown) => failed(call, input, error),
        );
      };
    };
    return { wrap };
  },
});
