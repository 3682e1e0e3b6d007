import { checkNumber, TimeoutError } from '@aiecs/core';
import type { RetryPolicy } from 'cockatiel';
import type { CacheStore } from './cache/CacheStore';
import { generateExecutionCacheKey } from './cache/cacheKey';
import { warmUp, type WarmUpOptions, type WarmUpReport } from './cache/warmUp';
import { MemoryCacheStore } from './cache/MemoryCacheStore';
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
  /** Cache backend (default: an in-memory LRU of `cacheSize` entries). A store passed in is not closed by `close()`. */
  readonly cacheStore?: CacheStore;
}

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
    this.store = options.cacheStore ?? new MemoryCacheStore({ maxSize: cacheSize, defaultTtlMs: cacheTtlMs });
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
    return this.store.get(key);
  }

  /** Caches `value` for `ttlMs` (default: `cacheTtlMs`; 0 = never expires). */
  addToCache(key: string, value: unknown, ttlMs?: number): void | Promise<void> {
    return this.store.set(key, value, ttlMs ?? this.cacheTtlMs);
  }

  /** Empties the cache. */
  clearCache(): void | Promise<void> {
    return this.store.clear();
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
