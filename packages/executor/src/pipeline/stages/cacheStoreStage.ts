import type { CacheStore } from '../../cache/CacheStore';
import type { Logger } from '../../logging/Logger';
import type { Middleware } from '../Invocation';

/** Stores a successful result under the invocation's key. Errors are not cached; a failing store only logs. */
export function cacheStoreStage(store: CacheStore, ttlMs: number, logger: Logger): Middleware {
  const warn = (error: unknown): void => logger.warn('cache store failed; result returned uncached', { error: String(error) });
  return (next) => (invocation) =>
    next(invocation).then((value) => {
      const key = invocation.cacheKey;
      if (key !== undefined && value !== undefined) {
        try {
          const stored = store.set(key, value, ttlMs);
          if (stored) stored.then(undefined, warn);
        } catch (error) {
          warn(error);
        }
      }
      return value;
    });
}
