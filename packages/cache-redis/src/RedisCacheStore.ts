import { checkNumber, ConfigurationError } from '@aiecs/core';
import { adaptLogger, consoleLogger, type CacheMemoryStats, type CacheStore, type UserLogger } from '@aiecs/executor';
import { Redis } from 'ioredis';
import { DEFAULT_TIMINGS, failFastOptions } from './clientOptions';
import { measureEntries, DEFAULT_STATS_SAMPLE } from './memoryStats';
import { RedisFlightLocks } from './RedisFlightLocks';
import { closeClient, RedisGuard } from './RedisGuard';
import { scanByPrefix } from './scanKeys';
import { decodeValue, encodeValue } from './serialise';

/** Options of `RedisCacheStore`; durations in ms. */
export interface RedisCacheStoreOptions {
  /** Server URL (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS); default `redis://127.0.0.1:6379`. */
  readonly url?: string;
  /**
   * A client of yours instead of `url` (the store never closes it). Configure it with
   * `failFastOptions()`, or a dead server will make calls wait on ioredis's offline queue and retries.
   */
  readonly client?: Redis;
  /**
   * Prepended to every key (`CACHE_PREFIX`); default `aiecs:`. Must not be empty: `clear()` removes the
   * keys under it, and an empty prefix would be the whole database. Apps sharing one Redis use different
   * prefixes; processes of one app use the same one to share entries.
   */
  readonly prefix?: string;
  /** Longest a TCP connect may take (default 1000). */
  readonly connectTimeoutMs?: number;
  /**
   * A connection that answers no command for this long while commands wait is dropped, failing them, and
   * reconnected (default 500; the pipeline bounds each read to `cacheTimeoutMs` anyway). Checked every
   * quarter of it, so a hung server is noticed 1–1.25 × this after the oldest waiting command was sent.
   */
  readonly commandTimeoutMs?: number;
  /** Longest pause between reconnect attempts (default 1000): how soon the store notices Redis is back. */
  readonly maxReconnectDelayMs?: number;
  /** Consecutive failures that open the store's breaker (default 3). */
  readonly failureThreshold?: number;
  /** How long the breaker stays open before one trial command (default 1000). */
  readonly halfOpenAfterMs?: number;
  /** Longest a cross-process single-flight waiter sleeps between looks, if no release message arrives (default 100). */
  readonly flightPollMs?: number;
  /** Keys measured with `MEMORY USAGE` by `getMemoryStats()` before it samples (default 500). */
  readonly statsSampleSize?: number;
  /**
   * Told once per outage (warn) and on recovery (info), and when a held single-flight lock is lost before
   * its release (warn). Default: outages silent (the pipeline warns once per outage), lost locks on the
   * console (nothing else would tell).
   */
  readonly logger?: UserLogger;
}

/** `commandTimeoutMs`'s default. */
const DEFAULT_COMMAND_TIMEOUT_MS = 500;

/** Keys under `<prefix>aiecs:` are the store's own (flight locks), never entries. */
const RESERVED = 'aiecs:';

/**
 * A `CacheStore` on Redis (ioredis), shared by every process that uses the same server and prefix.
 *
 * - Keys are `prefix + key`: the executor's keys cover tool, operation, user, task and input, so two
 *   processes with the same call share one entry. `clear(p)` removes the keys starting with `prefix + p`
 *   by SCAN + UNLINK (never FLUSHDB or KEYS): one tool's or one app's entries, nobody else's.
 * - TTLs are Redis's (`SET … PX`); `0` never expires.
 * - Values are V8-serialised (see `serialise.ts`): `Date`, `Map`, `Set`, `BigInt`, `Buffer`, typed arrays,
 *   `undefined` inside objects, `-0`, `NaN` survive; prototypes do not (class instances come back as plain
 *   objects). A value that cannot be serialised (a function, a symbol) rejects `set` with an
 *   `UncacheableResultError`, which the pipeline reports once per operation; the call still succeeds.
 * - Outages: every command goes through a breaker and a fail-fast client (no offline queue, no retries
 *   per command; a connection that answers nothing for `commandTimeoutMs` is dropped); reads then reject
 *   at once (the pipeline turns that into a miss and warns once per outage), writes are skipped, and the
 *   client reconnects by itself.
 * - `flightLocks`: cross-process single-flight (see `RedisFlightLocks`).
 *
 * @example
 * ```ts
 * const cacheStore = new RedisCacheStore({ url: process.env.CACHE_REDIS_URL, prefix: 'search-api:' });
 * await using app = createApp({ tools: [SearchTool], cacheStore });
 * // …
 * await cacheStore.close(); // a store passed in is closed by whoever created it
 * ```
 */
export class RedisCacheStore implements CacheStore {
  /** Locks for cross-process single-flight, on the same connection as the entries. */
  readonly flightLocks: RedisFlightLocks;
  /** The prefix every key of this store starts with. */
  readonly prefix: string;
  private readonly client: Redis;
  private readonly ownsClient: boolean;
  private readonly guard: RedisGuard;
  private readonly statsSampleSize: number;
  private closing: Promise<void> | undefined;

  constructor(options: RedisCacheStoreOptions = {}) {
    if (options === null || typeof options !== 'object')
      throw new ConfigurationError('RedisCacheStore', options, 'expected an options object');
    const prefix = options.prefix ?? 'aiecs:';
    if (typeof prefix !== 'string' || prefix === '')
      throw new ConfigurationError('RedisCacheStore.prefix', prefix, 'expected a non-empty string (clear() removes every key under it)');
    const timings = {
      connectTimeoutMs: checkNumber('RedisCacheStore.connectTimeoutMs', options.connectTimeoutMs ?? DEFAULT_TIMINGS.connectTimeoutMs, {
        min: 1,
      }),
      maxReconnectDelayMs: checkNumber(
        'RedisCacheStore.maxReconnectDelayMs',
        options.maxReconnectDelayMs ?? DEFAULT_TIMINGS.maxReconnectDelayMs,
        { min: 1 },
      ),
    };
    const commandTimeoutMs = checkNumber('RedisCacheStore.commandTimeoutMs', options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS, {
      min: 1,
    });
    const failureThreshold = checkNumber('RedisCacheStore.failureThreshold', options.failureThreshold ?? 3, { min: 1, integer: true });
    const halfOpenAfterMs = checkNumber('RedisCacheStore.halfOpenAfterMs', options.halfOpenAfterMs ?? 1000, { min: 1 });
    const flightPollMs = checkNumber('RedisCacheStore.flightPollMs', options.flightPollMs ?? 100, { min: 1 });
    this.statsSampleSize = checkNumber('RedisCacheStore.statsSampleSize', options.statsSampleSize ?? DEFAULT_STATS_SAMPLE, {
      min: 1,
      integer: true,
    });
    if (options.url !== undefined && typeof options.url !== 'string')
      throw new ConfigurationError('RedisCacheStore.url', options.url, 'expected a redis:// URL');
    this.prefix = prefix;
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? createClient(options.url ?? 'redis://127.0.0.1:6379', timings);
    const logger = options.logger && adaptLogger(options.logger);
    this.guard = new RedisGuard(this.client, {
      failureThreshold,
      halfOpenAfterMs,
      connectTimeoutMs: timings.connectTimeoutMs,
      commandTimeoutMs,
      logger,
    });
    this.flightLocks = new RedisFlightLocks(
      this.client,
      this.guard,
      { lockPrefix: `${prefix}${RESERVED}lock:`, channel: `${prefix}${RESERVED}flights` },
      flightPollMs,
      logger ?? consoleLogger('warn'),
    );
  }

  /** The stored value, or `undefined` on a miss (or bytes this store did not write). Rejects during an outage. */
  get(key: string): Promise<unknown> {
    // Chained, not awaited: a hit's answer reaches the pipeline one promise step sooner.
    return this.guard.run((client) => client.getBuffer(this.prefix + key)).then(storedValue);
  }

  /**
   * Stores `value` for `ttlMs` (`0`: no expiry); `undefined` deletes the key. Rejects with an
   * `UncacheableResultError` for a value V8 cannot serialise, and during an outage.
   */
  set(key: string, value: unknown, ttlMs: number): Promise<void> {
    try {
      checkNumber('RedisCacheStore.set.ttlMs', ttlMs);
      if (value === undefined) return this.delete(key);
      // Encoded and sent synchronously: see RedisGuard.run on ordering.
      const bytes = encodeValue(value, 'RedisCacheStore.set');
      const ms = Math.ceil(ttlMs);
      return this.guard
        .run((client) => (ms > 0 ? client.set(this.prefix + key, bytes, 'PX', ms) : client.set(this.prefix + key, bytes)))
        .then(() => undefined);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Removes `key` (absent keys are fine). */
  async delete(key: string): Promise<void> {
    await this.guard.run((client) => client.unlink(this.prefix + key));
  }

  /** Removes the keys starting with `prefix + keyPrefix` (all of this store's entries without it): SCAN + UNLINK. */
  async clear(keyPrefix = ''): Promise<void> {
    const reserved = Buffer.from(this.prefix + RESERVED);
    for await (const page of scanByPrefix(this.guard.run, this.prefix + keyPrefix)) {
      const entries = page.filter((key) => !key.subarray(0, reserved.length).equals(reserved));
      if (entries.length > 0) await this.guard.run((client) => client.unlink(...entries));
    }
  }

  /** Entries under this store's prefix, their TTLs, and the bytes Redis accounts for them (see `measureEntries`). */
  getMemoryStats(): Promise<CacheMemoryStats> {
    return measureEntries(this.guard.run, this.prefix, this.prefix + RESERVED, this.statsSampleSize);
  }

  /** Resolves once connected (at most `connectTimeoutMs`); rejects with `CacheUnavailableError` otherwise. For start-up checks. */
  async ready(): Promise<void> {
    await this.guard.run((client) => client.ping());
  }

  /** Stops the store: later commands reject, waiters are woken, connections the store opened are closed. Idempotent. */
  close(): Promise<void> {
    return (this.closing ??= this.release());
  }

  private async release(): Promise<void> {
    this.guard.close();
    await this.flightLocks.close();
    if (this.ownsClient) await closeClient(this.client, this.guard.commandTimeoutMs);
  }
}

function createClient(url: string, timings: Parameters<typeof failFastOptions>[0]): Redis {
  try {
    return new Redis(url, failFastOptions(timings));
  } catch (error) {
    throw new ConfigurationError('RedisCacheStore.url', url, `not a Redis URL (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The value `bytes` hold, or `undefined` for a missing key or bytes this store did not write. */
function storedValue(bytes: Buffer | null): unknown {
  if (bytes === null) return undefined;
  try {
    return decodeValue(bytes);
  } catch {
    return undefined;
  }
}
