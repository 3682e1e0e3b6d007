import type { CacheStore } from '../../cache/CacheStore';
import { cacheKeyText, hashCacheKeyText } from '../../cache/cacheKey';
import { DEFAULT_TASK_ID, DEFAULT_USER_ID } from '../../context/CallScope';
import type { OperationCounters } from '../../metrics/ExecutorMetrics';
import type { Invocation, Middleware } from '../Invocation';

/** Longer canonical texts are hashed even for an in-memory store, to bound the memory a key holds. */
const MAX_RAW_KEY_LENGTH = 512;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

/**
 * Returns a cached result without validating: the key covers the raw input, and only inputs that
 * passed validation and sanitisation were ever stored. User and task are part of the key, so tenants
 * never share entries. An input the key cannot encode simply bypasses the cache.
 */
export function cacheLookupStage(tool: string, operation: string, store: CacheStore, counters: OperationCounters): Middleware {
  const prefix = cacheKeyText([tool, operation]);
  const rawKeys = store.acceptsRawKeys === true;
  return (next) => {
    const miss = (invocation: Invocation): Promise<unknown> => {
      counters.cacheMisses++;
      return next(invocation);
    };
    const found = (invocation: Invocation, value: unknown): Promise<unknown> => {
      if (value === undefined) return miss(invocation);
      counters.cacheHits++;
      return Promise.resolve(value);
    };
    return (invocation) => {
      const options = invocation.options;
      let key: string;
      try {
        const text = cacheKeyText([options?.userId ?? DEFAULT_USER_ID, options?.taskId ?? DEFAULT_TASK_ID, invocation.input], prefix);
        key = rawKeys && text.length <= MAX_RAW_KEY_LENGTH ? text : hashCacheKeyText(text);
      } catch {
        return next(invocation);
      }
      invocation.cacheKey = key;
      const value = store.get(key);
      return isPromiseLike(value) ? Promise.resolve(value).then((v) => found(invocation, v)) : found(invocation, value);
    };
  };
}
