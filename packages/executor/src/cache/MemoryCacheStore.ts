import { checkNumber, ConfigurationError } from '@aiecs/core';
import type LRUMapWithDelete from 'mnemonist/lru-map-with-delete';
import type { CacheMemoryStats, CacheStore } from './CacheStore';
import { approxValueBytes, ENTRY_OVERHEAD_BYTES } from './entrySize';

// `require`, not `import`: mnemonist's sub-path exports have only a `require` condition, so the ES module
// build cannot import them, and its root loads every structure (~50 ms more at start-up, measured).

const LRUMap: typeof LRUMapWithDelete = require('mnemonist/lru-map-with-delete');

/** Options of `MemoryCacheStore`. */
export interface MemoryCacheStoreOptions {
  /** Most entries kept; the least recently used one is evicted first. `0` disables caching. */
  readonly maxSize: number;
  /** Lifetime used when `set` is called without a ttl, in ms (default 0 = never expires). */
  readonly defaultTtlMs?: number;
  /** Period of the background sweep of expired entries, in ms (default 60 000; `0` = lazy expiry only). */
  readonly sweepIntervalMs?: number;
  /** Clock in ms, injectable for tests (default `Date.now`). */
  readonly now?: () => number;
}

/** setInterval silently fires at once for delays above this (2^31 - 1 ms), so larger periods are refused. */
const MAX_TIMER_MS = 2_147_483_647;

class Entry {
  constructor(
    readonly value: unknown,
    /** Absolute expiry in clock ms; 0 = never. */
    readonly expiresAt: number,
    /** `approxValueBytes(value)`, kept to subtract it when the entry goes. */
    readonly valueBytes: number,
  ) {}
}

/**
 * mnemonist's slot arrays (not in its typings). Its `delete` frees a slot and its `clear` resets the
 * pointers, but neither empties the slot's key and value: they stay reachable until the slot is
 * reused, so deleted and cleared entries were never released (measured: 26.9 MB before and after a
 * clear). `delete` empties the slot itself; `clear` replaces the map.
 */
interface LruSlots {
  readonly K: unknown[];
  readonly V: unknown[];
  readonly items: Map<string, number>;
}

function hasSlots(map: object): boolean {
  const slots = map as Partial<LruSlots>;
  return Array.isArray(slots.K) && Array.isArray(slots.V) && slots.items instanceof Map;
}

/**
 * `key` as one flat string. A key built by concatenation is a rope of the parts (the shared prefixes,
 * every encoded value): stored as it is, it kept ~160 B of rope nodes per entry (397 B instead of 233 B
 * for a 93-character key). Reading a character makes V8 flatten it in place, releasing the rope.
 */
export function flatKey(key: string): string {
  key.charCodeAt(0);
  return key;
}

/**
 * In-process LRU cache with per-entry TTL; every method is synchronous.
 * Expired entries are dropped lazily when read and by a periodic sweep, so memory held by entries nobody
 * reads again is reclaimed too. The sweep timer is `unref()`'d so a cache never keeps the process alive,
 * starts only once an expiring entry exists, and stops when none is left or on `close()`.
 */
export class MemoryCacheStore implements CacheStore {
  /** Keys live in this process only: short canonical texts need no hashing. */
  readonly acceptsRawKeys = true;
  /** Every read answers at once (see `CacheStore.answersSynchronously`). */
  readonly answersSynchronously = true;
  // null when maxSize is 0: mnemonist refuses a zero capacity, and "cache nothing" needs no map at all.
  // Replaced by clear(): a fresh map is the one way to drop every slot of mnemonist's.
  private entries: LRUMapWithDelete<string, Entry> | null;
  private readonly maxSize: number;
  /** Sum of the keys' lengths and of the entries' `valueBytes` (for `getMemoryStats`). */
  private keyChars = 0;
  private valueBytes = 0;
  private readonly defaultTtlMs: number;
  private readonly sweepIntervalMs: number;
  private readonly now: () => number;
  private sweepTimer: NodeJS.Timeout | undefined;
  /** Entries with an expiry; lets the sweep stop itself when nothing can expire any more. */
  private expiringCount = 0;

  constructor(options: MemoryCacheStoreOptions) {
    const maxSize = checkNumber('MemoryCacheStore.maxSize', options.maxSize, { integer: true });
    this.defaultTtlMs = checkNumber('MemoryCacheStore.defaultTtlMs', options.defaultTtlMs ?? 0);
    this.sweepIntervalMs = checkNumber('MemoryCacheStore.sweepIntervalMs', options.sweepIntervalMs ?? 60_000, {
      max: MAX_TIMER_MS,
    });
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new ConfigurationError('MemoryCacheStore.now', options.now, 'expected a function returning milliseconds');
    }
    // Resolved at call time (not `Date.now` captured here) so fake clocks installed later still apply.
    this.now = options.now ?? (() => Date.now());
    this.maxSize = maxSize;
    this.entries = this.newMap();
  }

  private newMap(): LRUMapWithDelete<string, Entry> | null {
    if (this.maxSize === 0) return null;
    const map = new LRUMap<string, Entry>(this.maxSize);
    if (!hasSlots(map))
      throw new Error('MemoryCacheStore: this mnemonist version has no K/V/items slots; its deleted entries could not be released');
    return map;
  }

  /** Number of entries held, expired ones not yet swept included. */
  get size(): number {
    return this.entries === null ? 0 : this.entries.size;
  }

  /** The value, refreshing its recency; `undefined` on a miss or when the entry has expired. */
  get(key: string): unknown {
    if (this.entries === null) return undefined;
    return this.live(key, this.entries.get(key))?.value;
  }

  /** Whether a live entry exists; unlike `get`, does not refresh recency. */
  has(key: string): boolean {
    if (this.entries === null) return false;
    return this.live(key, this.entries.peek(key)) !== undefined;
  }

  /** Stores `value` for `ttlMs` ms (`0` = never expires; default `defaultTtlMs`); `undefined` deletes the key. */
  set(key: string, value: unknown, ttlMs: number = this.defaultTtlMs): void {
    // Validated before the maxSize-0 shortcut so a bad ttl is reported whatever the configuration.
    if (typeof ttlMs !== 'number' || !(ttlMs >= 0 && ttlMs < Number.POSITIVE_INFINITY)) {
      checkNumber('MemoryCacheStore.set.ttlMs', ttlMs);
    }
    if (this.entries === null) return;
    if (value === undefined) {
      this.delete(key);
      return;
    }
    const expiresAt = ttlMs > 0 ? this.now() + ttlMs : 0;
    const entry = new Entry(value, expiresAt, approxValueBytes(value));
    // setpop reports the entry it replaced or evicted (whose slot now holds this one), whose bookkeeping must be undone.
    const displaced = this.entries.setpop(flatKey(key), entry);
    this.keyChars += key.length;
    this.valueBytes += entry.valueBytes;
    if (displaced !== null) this.forget(displaced.key, displaced.value);
    if (expiresAt !== 0) {
      this.expiringCount++;
      this.startSweep();
    }
  }

  /** Removes `key`; absent keys are ignored. */
  delete(key: string): void {
    if (this.entries === null) return;
    const entry = this.entries.peek(key);
    if (entry !== undefined) this.remove(key, entry);
  }

  /**
   * Removes every entry (and stops the sweep until an expiring entry is stored again), or, with
   * `prefix`, only the entries whose key starts with it (one tool's entries in a shared store).
   */
  clear(prefix?: string): void {
    if (prefix !== undefined) {
      const matching: string[] = [];
      // Collected first: mnemonist's iteration is not safe against deletion.
      this.entries?.forEach((_entry, key) => {
        if (key.startsWith(prefix)) matching.push(key);
      });
      for (const key of matching) this.delete(key);
      // Every entry was the prefix's (one tool on its own store): a fresh map also drops the LRU's Map
      // table and slot arrays, sized for the entries just removed.
      if (this.entries !== null && this.entries.size === 0) this.clear();
      return;
    }
    this.entries = this.newMap();
    this.expiringCount = 0;
    this.keyChars = 0;
    this.valueBytes = 0;
    this.stopSweep();
  }

  /**
   * What the store holds: entries, of which with a ttl, `maxSize`, and `approxBytes`: the keys' lengths
   * (one byte a character: keys are ASCII JSON text) plus `approxValueBytes` of each value plus
   * `ENTRY_OVERHEAD_BYTES` an entry (the LRU's slots and Map entry, the entry object), that constant
   * calibrated by measuring the heap with --expose-gc (see `MemoryCacheStore.memory.test.ts`).
   */
  getMemoryStats(): CacheMemoryStats {
    const entries = this.size;
    return {
      entries,
      approxBytes: entries * ENTRY_OVERHEAD_BYTES + this.keyChars + this.valueBytes,
      ttlEntries: this.expiringCount,
      maxSize: this.maxSize,
    };
  }

  /**
   * Drops every entry and stops the sweep timer. Idempotent; the store stays usable afterwards (a later
   * expiring `set` re-arms the unref'd timer), which keeps shutdown ordering between components forgiving.
   */
  close(): void {
    this.clear();
  }

  /** Removes every expired entry now; the periodic sweep calls this. Returns how many were removed. */
  sweep(): number {
    if (this.entries === null || this.expiringCount === 0) {
      this.stopSweep();
      return 0;
    }
    const now = this.now();
    const expired: string[] = [];
    // Collected first: mnemonist's iteration is not safe against deletion.
    this.entries.forEach((entry, key) => {
      if (entry.expiresAt !== 0 && now >= entry.expiresAt) expired.push(key);
    });
    for (const key of expired) this.delete(key);
    if (this.expiringCount === 0) this.stopSweep();
    return expired.length;
  }

  /** `entry` if it has not expired; an expired one is removed (lazy expiry). */
  private live(key: string, entry: Entry | undefined): Entry | undefined {
    if (entry === undefined) return undefined;
    // The clock is read only for expiring entries: a hit on a permanent entry stays a pure map lookup.
    if (entry.expiresAt !== 0 && this.now() >= entry.expiresAt) {
      this.remove(key, entry);
      return undefined;
    }
    return entry;
  }

  /** Deletes `key`'s entry and empties its slot (see `LruSlots`), so nothing keeps the key or value alive. */
  private remove(key: string, entry: Entry): void {
    const slots = this.entries as unknown as LruSlots;
    const pointer = slots.items.get(key);
    this.entries!.delete(key);
    if (pointer !== undefined) {
      slots.K[pointer] = undefined;
      slots.V[pointer] = undefined;
    }
    this.forget(key, entry);
  }

  /** Undoes the bookkeeping of an entry that left the map. */
  private forget(key: string, entry: Entry): void {
    this.keyChars -= key.length;
    this.valueBytes -= entry.valueBytes;
    if (entry.expiresAt !== 0) this.expiringCount--;
  }

  private startSweep(): void {
    if (this.sweepTimer !== undefined || this.sweepIntervalMs === 0) return;
    this.sweepTimer = setInterval(() => this.sweep(), this.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  private stopSweep(): void {
    if (this.sweepTimer === undefined) return;
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }
}
