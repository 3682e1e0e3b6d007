import type { CacheStore } from './CacheStore';

/** Whether one kind of access (`get` or `set`) to a store is failing now. */
export interface Outage {
  failing: boolean;
}

/**
 * The health of one cache store, shared by every tool and operation using it: reads and writes are
 * tracked apart, so a store whose reads time out while its writes succeed still has one read outage
 * (not one that every successful write ends and the next read starts again).
 */
export interface StoreHealth {
  readonly get: Outage;
  readonly set: Outage;
}

const byStore = new WeakMap<CacheStore, StoreHealth>();

/** The health record of `store` (created on first use; dropped with the store). */
export function healthOf(store: CacheStore): StoreHealth {
  let health = byStore.get(store);
  if (health === undefined) byStore.set(store, (health = { get: { failing: false }, set: { failing: false } }));
  return health;
}

/** Records a failure; true when it starts an outage (the first failure ever, or the first after a success). */
export function recordFailure(outage: Outage): boolean {
  if (outage.failing) return false;
  outage.failing = true;
  return true;
}

/** Records a success: it ends the outage, if any. */
export function recordSuccess(outage: Outage): void {
  if (outage.failing) outage.failing = false;
}

/** A cache read that did not answer within its bound; the call went on as a miss. */
export class CacheTimeoutError extends Error {
  override readonly name = 'CacheTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`cache get did not answer within ${timeoutMs} ms`);
  }
}

/** A result the cache cannot keep safely (see `prepareForCache`); it was returned, not cached. */
export class UncacheableResultError extends TypeError {
  override readonly name = 'UncacheableResultError';

  constructor(
    where: string,
    readonly reason: string,
  ) {
    super(`${where}: its result is not cached: ${reason} (only plain data, Map, Set, Date, RegExp and binary arrays can be)`);
  }
}
