import { checkNumber, TimeoutError } from '@aiecs/core';
import { handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { generateExecutionCacheKey } from './cache/cacheKey';
import { MemoryCacheStore } from './cache/MemoryCacheStore';
import { CallScope, DEFAULT_TASK_ID, DEFAULT_USER_ID } from './context/CallScope';
import { consoleLogger, type Logger } from './logging/Logger';
import { createBackoff } from './policies/backoff';
import { isRetryable } from './policies/isRetryable';
import { oneShotTimer } from './policies/FixedDelayTimer';
import { raceDeadline } from './policies/raceDeadline';
import { retryWithBackoff, type RetrySettings } from './policies/retryWithBackoff';

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
  readonly logger?: Logger;
}

/** The seed's execution helpers — cache keys, an expiring LRU cache, retry and timeout — usable without a tool. */
export class ExecutionUtils {
  private readonly store: MemoryCacheStore;
  private readonly retrySettings: RetrySettings;
  private readonly logger: Logger;
  private readonly retryAttempts: number;
  private readonly cacheTtlMs: number;

  constructor(options: ExecutionUtilsOptions = {}) {
    const cacheSize = checkNumber('cacheSize', options.cacheSize ?? 100, { integer: true });
    const cacheTtlMs = (this.cacheTtlMs = checkNumber('cacheTtlMs', options.cacheTtlMs ?? 3_600_000));
    this.retryAttempts = checkNumber('retryAttempts', options.retryAttempts ?? 3, { min: 1, integer: true });
    const retryBackoffMs = checkNumber('retryBackoffMs', options.retryBackoffMs ?? 1000);
    this.store = new MemoryCacheStore({ maxSize: cacheSize, defaultTtlMs: cacheTtlMs });
    this.retrySettings = { attempts: this.retryAttempts, backoff: createBackoff({}, retryBackoffMs) };
    this.logger = options.logger ?? consoleLogger('warn');
  }

  /** Deterministic key (stable stringify + SHA-256) of a call; unserialisable values throw `TypeError`. */
  generateCacheKey(funcName: string, userId: string, taskId: string, args: readonly unknown[], kwargs: Record<string, unknown>): string {
    return generateExecutionCacheKey(funcName, userId, taskId, args, kwargs);
  }

  /** The cached value, or `undefined` on a miss or after expiry. */
  getFromCache(key: string): unknown {
    return this.store.get(key);
  }

  /** Caches `value` for `ttlMs` (default: `cacheTtlMs`; 0 = never expires). */
  addToCache(key: string, value: unknown, ttlMs?: number): void {
    this.store.set(key, value, ttlMs ?? this.cacheTtlMs);
  }

  /** Empties the cache. */
  clearCache(): void {
    this.store.clear();
  }

  /**
   * A cockatiel retry policy with the configured attempts and exponential, jittered backoff; logs
   * each retry. Its backoff sleep does not watch abort signals: inside a deadline prefer
   * `executeWithRetryAndTimeout`, which does.
   */
  createRetryStrategy(metricName = 'operation'): RetryPolicy {
    const policy = retry(
      handleWhen((error) => isRetryable(error)),
      { maxAttempts: this.retryAttempts - 1, backoff: this.retrySettings.backoff },
    );
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
    const scope = new CallScope(fn.name || 'operation', DEFAULT_USER_ID, DEFAULT_TASK_ID);
    const attempts = () => retryWithBackoff(async () => fn(...args), scope, this.retrySettings);
    if (!(timeoutMs > 0)) return attempts();
    return raceDeadline(attempts, oneShotTimer(timeoutMs), () => scope.abort(new TimeoutError(timeoutMs, 'call')));
  }

  /**
   * The seed's timeout context: runs `fn(signal)`, rejects with `TimeoutError` at `ms` and aborts
   * `signal`, even if `fn` ignores it.
   */
  withTimeout<T>(ms: number, fn: (signal: AbortSignal) => T | Promise<T>): Promise<T> {
    checkNumber('withTimeout.ms', ms, { min: 1 });
    const controller = new AbortController();
    return raceDeadline(async () => fn(controller.signal), oneShotTimer(ms), () => {
      const error = new TimeoutError(ms, 'call');
      controller.abort(error);
      return error;
    });
  }

  /** Stops the cache's sweep timer. */
  close(): void {
    this.store.close();
  }
}
