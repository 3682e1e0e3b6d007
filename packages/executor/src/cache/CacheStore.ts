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
