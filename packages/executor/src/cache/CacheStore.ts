/**
 * A cache backend. Methods may answer synchronously (in-memory) or with a Promise (Redis, …), so callers
 * must `await` every result; a synchronous store then costs no extra tick beyond the await itself.
 *
 * Contract:
 * - `get` returns `undefined` on a miss; therefore `undefined` results are not cached: `set(key, undefined)`
 *   removes the key instead of storing a value that would be indistinguishable from a miss.
 * - `ttlMs` is the entry lifetime in milliseconds; `0` means the entry never expires.
 * - `close` releases timers and connections; it is idempotent.
 */
export interface CacheStore {
  /**
   * True when keys stay in this process's memory: the executor then uses short canonical key texts
   * as they are and hashes only long ones (SHA-256 costs more than the lookup). Shared stores leave
   * it unset and always get 64-char hashes.
   */
  readonly acceptsRawKeys?: boolean;
  /**
   * True when `get` always answers synchronously (never a Promise), as the in-memory store does: a
   * prepared call can then be answered from the cache before it enters the pipeline
   * (`PreparedCall.fromCache`, which the MCP server uses to answer hits ahead of the SDK). Leave it
   * unset for a store that may answer with a Promise: `fromCache` never reads such a store.
   */
  readonly answersSynchronously?: boolean;
  /** The stored value, or `undefined` when the key is absent or expired. */
  get(key: string): unknown | Promise<unknown>;
  /** Stores `value` for `ttlMs` ms (`0` = no expiry); an `undefined` value deletes the key. */
  set(key: string, value: unknown, ttlMs: number): void | Promise<void>;
  /** Removes one key; removing an absent key is not an error. */
  delete(key: string): void | Promise<void>;
  /**
   * Removes every entry of this store or, given `prefix`, only the entries whose key starts with it.
   * Tools sharing a store (an app's tools) clear their own entries with their key prefix, so a store
   * shared by tools must honour `prefix`.
   */
  clear(prefix?: string): void | Promise<void>;
  /** Releases the store's resources (timers, connections); safe to call twice. */
  close(): void | Promise<void>;
  /**
   * How much the store holds now, measured by the store (not estimated from counts), for stores that
   * can tell; absent when the store cannot.
   */
  getMemoryStats?(): CacheMemoryStats | Promise<CacheMemoryStats>;
  /**
   * Present on a store shared by several processes that can lock a key across them (the Redis store):
   * the `singleFlight` stage then runs concurrent identical misses once across processes, not only
   * within one. Absent: single-flight is per process (per runtime).
   */
  readonly flightLocks?: FlightLocks;
}

/**
 * Locks shared by every process using one store, for cross-process single-flight. One lock per cache
 * key; the holder runs the method and stores its result, the others wait and then read the entry.
 * Every method may reject when the store is unreachable: the caller then runs the method itself.
 */
export interface FlightLocks {
  /**
   * Takes the lock of `key` for `ttlMs` ms (it expires by itself, so a holder that dies releases it at
   * the TTL). Resolves to the holder's token (a fencing value only the holder knows), or `undefined`
   * when another holder has it.
   */
  acquire(key: string, ttlMs: number): Promise<string | undefined>;
  /** Releases the lock of `key` only if `token` still holds it (compare-and-delete), and wakes its waiters. */
  release(key: string, token: string): Promise<void>;
  /**
   * Resolves when the lock of `key` is released (the store wakes its waiters) or, at the latest, after the
   * store's polling interval (the fallback when a wake-up is lost). Never rejects; `cancel` stops waiting.
   */
  waitForRelease(key: string): { readonly promise: Promise<void>; cancel(): void };
}

/** What `CacheStore.getMemoryStats()` reports about the entries a store holds. */
export interface CacheMemoryStats {
  /** Entries held now (for a shared store: the entries under this store's prefix). */
  readonly entries: number;
  /**
   * Approximate bytes those entries occupy, measured by the store (in-memory: the sizes of keys and values
   * it holds; Redis: `MEMORY USAGE` of the keys, extrapolated from a sample when there are many).
   */
  readonly approxBytes: number;
  /** Entries among `entries` that have an expiry (a TTL). */
  readonly ttlEntries: number;
  /** The most entries the store keeps before evicting, when it has such a bound. */
  readonly maxSize?: number;
}
