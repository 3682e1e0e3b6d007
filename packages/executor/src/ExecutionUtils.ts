import { checkNumber, ConfigurationError, TimeoutError } from '@aiecs/core';
import type { RetryPolicy } from 'cockatiel';
import type { CacheStore } from './cache/CacheStore';
import { generateExecutionCacheKey } from './cache/cacheKey';
import { createDefaultCacheStore } from './cache/defaultCacheStore';
import { healthOf, recordFailure, recordSuccess } from './cache/storeHealth';
import { warmUp, type WarmUpOptions, type WarmUpReport } from './cache/warmUp';
import { configFromEnvironment } from './config/environment';
import { CACHE_BACKENDS, type CacheBackend } from './config/ToolConfig';
import { createRetryPolicy, retryStage, type RetryPlan } from './concerns/retry';
import { EventBus } from './events/EventBus';
import { adaptLogger, type UserLogger } from './logging/adaptLogger';
import { consoleLogger, type Logger } from './logging/Logger';
import { DEFAULT_MAX_DELAY_MS } from './policies/backoff';
import { Call, DEFAULT_TASK_ID, DEFAULT_USER_ID } from './pipeline/Call';
import { settle } from './pipeline/Handler';
import { oneShotTimer } from './policies/FixedDelayTimer';
import { raceDeadline } from './policies/raceDeadline';

/** Options of `ExecutionUtils` (the seed's, in milliseconds). */
export interface ExecutionUtilsOptions {
  /** LRU capacity (default 100). */
  readonly cacheSize?: number;
  /** Default entry lifetime (default 3 600 000 ms; 0 = never expires). */
  readonly cacheTtlMs?: number;
  /** Total attempts, the first included (default 3). */
  readonly retryAttempts?: number;
  /** First backoff delay (default 1000 ms). */
  readonly retryBackoffMs?: number;
  /** Where retries are logged (default: console, warnings and up). */
  readonly logger?: UserLogger;
  /** Cache backend (default: the store `cacheBackend` selects). A store passed in is not closed by `close()`. */
  readonly cacheStore?: CacheStore;
  /**
   * The store to create when no `cacheStore` is given, as a runtime does: `memory` (an LRU of `cacheSize`
   * entries) or `redis` (`@aiecs/cache-redis` on `cacheRedisUrl` with `cachePrefix`). Default `CACHE_BACKEND`,
   * else `memory`. A store created here is closed by `close()`.
   */
  readonly cacheBackend?: CacheBackend;
  /** Redis server of the `redis` backend (default `CACHE_REDIS_URL`, else the package's `redis://127.0.0.1:6379`). */
  readonly cacheRedisUrl?: string;
  /** Key prefix of the `redis` backend (default `CACHE_PREFIX`, else the package's `aiecs:`). */
  readonly cachePrefix?: string;
}

/** The environment variables that select `ExecutionUtils`' store (the only ones it reads). */
const STORE_VARIABLES = ['CACHE_BACKEND', 'CACHE_REDIS_URL', 'CACHE_PREFIX'] as const;

/**
 * Where `ExecutionUtils` keeps its entries in a store shared with tools (Redis, same `CACHE_PREFIX`): under
 * a namespace of its own, so `clearCache()` never removes the tools' entries, and a tool's key never
 * meets a helper's.
 */
const SHARED_STORE_NAMESPACE = 'execution-utils:';

/** One entry of `ExecutionUtils.warmUpCache()`: the key, what computes its value, and its lifetime. */
export interface CacheWarmUpItem {
  readonly key: string;
  readonly fn: () => unknown;
  /** Entry lifetime (default: `cacheTtlMs`; 0 = never expires). */
  readonly ttlMs?: number;
}

const DEFAULT_WARM_UP_CONCURRENCY = 10;

/** The seed's execution helpers — cache keys, an expiring LRU cache, retry and timeout — usable without a tool. */
export class ExecutionUtils {
  private readonly store: CacheStore;
  private readonly ownsStore: boolean;
  /** `''` for a store of this instance's own memory; {@link SHARED_STORE_NAMESPACE} for a shared store it created. */
  private readonly namespace: string;
  private readonly retryPlan: RetryPlan;
  private readonly logger: Logger;
  private readonly retryAttempts: number;
  private readonly cacheTtlMs: number;

  constructor(options: ExecutionUtilsOptions = {}) {
    const cacheSize = checkNumber('cacheSize', options.cacheSize ?? 100, { integer: true });
    const cacheTtlMs = (this.cacheTtlMs = checkNumber('cacheTtlMs', options.cacheTtlMs ?? 3_600_000));
    this.retryAttempts = checkNumber('retryAttempts', options.retryAttempts ?? 3, { min: 1, integer: true });
    const retryBackoffMs = checkNumber('retryBackoffMs', options.retryBackoffMs ?? 1000);
    this.ownsStore = options.cacheStore === undefined;
    this.store = options.cacheStore ?? createDefaultCacheStore({ ...storeSelection(options), cacheSize, cacheTtlMs });
    this.namespace = this.ownsStore && this.store.acceptsRawKeys !== true ? SHARED_STORE_NAMESPACE : '';
    this.retryPlan = {
      attempts: this.retryAttempts,
      backoff: 'exponential',
      initialDelayMs: retryBackoffMs,
      maxDelayMs: DEFAULT_MAX_DELAY_MS,
      jitter: true,
    };
    this.logger = options.logger ? adaptLogger(options.logger) : consoleLogger('warn');
  }

  /** Deterministic key (stable stringify + SHA-256) of a call; unserialisable values throw `TypeError`. */
  generateCacheKey(funcName: string, userId: string, taskId: string, args: readonly unknown[], kwargs: Record<string, unknown>): string {
    return generateExecutionCacheKey(funcName, userId, taskId, args, kwargs);
  }

  /** The cached value, or `undefined` on a miss or after expiry (a Promise of it with an asynchronous store). */
  getFromCache(key: string): unknown {
    const value = this.store.get(this.namespace + key);
    // A shared store that is down answers as a miss, as it does for tool calls (logged once per outage).
    return isPromise(value) ? this.failOpen('get', value) : value;
  }

  /** Caches `value` for `ttlMs` (default: `cacheTtlMs`; 0 = never expires); a shared store that is down skips the write. */
  addToCache(key: string, value: unknown, ttlMs?: number): void | Promise<void> {
    const written = this.store.set(this.namespace + key, value, ttlMs ?? this.cacheTtlMs);
    return isPromise(written) ? this.failOpen('set', written).then(() => undefined) : written;
  }

  /**
   * `pending`, with a failure turned into `undefined`: warned once per outage of the store, which the
   * tools using the same store share (`storeHealth`), so an outage is logged once, not per caller.
   */
  private failOpen<T>(action: 'get' | 'set', pending: Promise<T>): Promise<T | undefined> {
    const outage = healthOf(this.store)[action];
    return pending.then(
      (value) => {
        recordSuccess(outage);
        return value;
      },
      (error: unknown) => {
        if (recordFailure(outage)) {
          this.logger.warn(`cache ${action} is failing; going on without the cache (logged once until it recovers)`, {
            error: String(error),
          });
        }
        return undefined;
      },
    );
  }

  /** Empties the cache (of a shared store it created: only this helper's entries). */
  clearCache(): void | Promise<void> {
    return this.namespace === '' ? this.store.clear() : this.store.clear(this.namespace);
  }

  /**
   * Fills the cache: runs each `fn` (at most `concurrency` at once, default 10) and stores its result under
   * `key` for `ttlMs` (default `cacheTtlMs`). Never rejects because one failed: failures (a throwing `fn`,
   * a store that refused the value) are logged once and reported.
   */
  warmUpCache(operations: readonly CacheWarmUpItem[], options?: WarmUpOptions): Promise<WarmUpReport> {
    return settle(() =>
      warmUp(
        operations,
        options,
        DEFAULT_WARM_UP_CONCURRENCY,
        (item) => String(item.key),
        async (item) => this.addToCache(item.key, await item.fn(), item.ttlMs),
        this.logger,
      ),
    );
  }

  /**
   * A cockatiel retry policy with the configured attempts and exponential, jittered backoff; logs
   * each retry. Its backoff sleep does not watch abort signals: inside a deadline prefer
   * `executeWithRetryAndTimeout`, which starts no attempt after the deadline.
   */
  createRetryStrategy(metricName = 'operation'): RetryPolicy {
    const policy = createRetryPolicy(this.retryPlan);
    policy.onRetry((event) => {
      const error = 'error' in event ? String(event.error) : 'rejected result';
      this.logger.warn('retrying', { operation: metricName, attempt: event.attempt, delayMs: event.delay, error });
    });
    return policy;
  }

  /**
   * Runs `fn(...args)` with retries; `timeoutMs` bounds the whole, backoff waits included. At the
   * deadline the caller gets `TimeoutError` and no further attempt starts.
   */
  executeWithRetryAndTimeout<A extends unknown[], T>(fn: (...args: A) => T | Promise<T>, timeoutMs: number, ...args: A): Promise<T> {
    const call = new Call(
      { tool: 'ExecutionUtils', operation: fn.name || 'operation' },
      () => undefined,
      DEFAULT_USER_ID,
      DEFAULT_TASK_ID,
      undefined,
      undefined,
      undefined,
    );
    const attempt = (c: Call): Promise<T> => {
      if (c.aborted) return Promise.reject(c.abortReason);
      c.beginAttempt();
      return settle(() => fn(...args));
    };
    const withRetries = retryStage(createRetryPolicy(this.retryPlan), new EventBus())(attempt as never) as (
      c: Call,
      input: unknown,
    ) => Promise<T>;
    const attempts = (): Promise<T> => withRetries(call, undefined);
    if (!(timeoutMs > 0)) return attempts();
    return raceDeadline(attempts, oneShotTimer(timeoutMs), () => call.abort(new TimeoutError(timeoutMs, 'call')));
  }

  /**
   * The seed's timeout context: runs `fn(signal)`, rejects with `TimeoutError` at `ms` and aborts
   * `signal`, even if `fn` ignores it.
   */
  withTimeout<T>(ms: number, fn: (signal: AbortSignal) => T | Promise<T>): Promise<T> {
    checkNumber('withTimeout.ms', ms, { min: 1 });
    const controller = new AbortController();
    return raceDeadline(
      async () => fn(controller.signal),
      oneShotTimer(ms),
      () => {
        const error = new TimeoutError(ms, 'call');
        controller.abort(error);
        return error;
      },
    );
  }

  /** Stops the cache's sweep timer (a store passed in is left open: its creator closes it). */
  close(): void | Promise<void> {
    if (this.ownsStore) return this.store.close();
  }
}

/** `cacheBackend`, `cacheRedisUrl`, `cachePrefix`: the options given, else their variables, else the defaults. */
function storeSelection(options: ExecutionUtilsOptions): { cacheBackend: CacheBackend; cacheRedisUrl?: string; cachePrefix?: string } {
  const env: Record<string, string | undefined> = {};
  for (const variable of STORE_VARIABLES) env[variable] = process.env[variable];
  const fromEnv = configFromEnvironment(env);
  const cacheBackend = options.cacheBackend ?? fromEnv.cacheBackend ?? 'memory';
  if (!CACHE_BACKENDS.includes(cacheBackend))
    throw new ConfigurationError('cacheBackend', cacheBackend, `expected one of ${CACHE_BACKENDS.join(', ')}`);
  return {
    cacheBackend,
    cacheRedisUrl: options.cacheRedisUrl ?? fromEnv.cacheRedisUrl,
    cachePrefix: options.cachePrefix ?? fromEnv.cachePrefix,
  };
}

function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}
