import type { Logger } from '@aiecs/executor';
import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  handleWhen,
  IsolatedCircuitError,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { ReplyError, type Redis } from 'ioredis';
import { CacheUnavailableError } from './CacheUnavailableError';
import { StallWatchdog } from './StallWatchdog';

/** When the guard gives up on Redis and how it comes back. */
export interface GuardOptions {
  /** Consecutive failures that open the breaker (commands then fail at once, none is sent). */
  readonly failureThreshold: number;
  /** After this long open, one command is let through as a trial; success closes the breaker. */
  readonly halfOpenAfterMs: number;
  /** Longest a command waits for the client's first connection. */
  readonly connectTimeoutMs: number;
  /** A connection that answers no command for this long while commands wait is dropped (see `StallWatchdog`). */
  readonly commandTimeoutMs: number;
  /** Told once when Redis becomes unreachable (`warn`) and once when it answers again (`info`). */
  readonly logger?: Logger;
}

/** Sends one command (or one pipeline) through a guard: `guard.run`, passed to helpers that send several in turn. */
export type RunCommand = <T>(command: (client: Redis) => Promise<T>) => Promise<T>;

const NOT_YET_CONNECTED = new Set(['wait', 'connecting', 'connect']);

/**
 * Sends a store's commands to Redis only while it can answer: a cockatiel breaker (consecutive failures →
 * open, a trial after `halfOpenAfterMs`) stops a dead or hung server from being hammered and makes every
 * command during an outage fail at once; a command before the client's first connection waits for it (at
 * most `connectTimeoutMs`: the client has no offline queue); a client that lost its connection fails the
 * command at once while it reconnects in the background. Errors Redis itself answers (`ReplyError`) are
 * not outages. Every failure is a `CacheUnavailableError`. A server that stops answering while connected
 * (hung, paused, packets dropped) is noticed by a `StallWatchdog`: its connection is dropped, so the
 * waiting commands fail (the breaker counts them) and the client reconnects in the background.
 *
 * Each `run` is one command (or one pipeline) on the wire: the watchdog counts runs.
 */
export class RedisGuard {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly watchdog: StallWatchdog;
  private everReady = false;
  private closed = false;
  private readonly settle = <T>(value: T): T => {
    this.watchdog.settled();
    return value;
  };
  private readonly fail = (error: unknown): never => {
    this.watchdog.settled();
    return toUnavailable(error);
  };

  constructor(
    private readonly client: Redis,
    private readonly options: GuardOptions,
  ) {
    this.breaker = circuitBreaker(
      handleWhen((error) => !(error instanceof ReplyError)),
      { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.failureThreshold) },
    );
    if (client.status === 'ready') this.everReady = true;
    else client.once('ready', () => (this.everReady = true));
    const logger = options.logger;
    if (logger !== undefined) {
      this.breaker.onBreak((reason) =>
        logger.warn('Redis cache unreachable: cache reads are misses and writes are skipped until it answers again', {
          error: 'error' in reason ? String(reason.error) : 'unknown',
        }),
      );
      this.breaker.onReset(() => logger.info('Redis cache answers again', {}));
    }
    // ioredis emits 'error' on every failed reconnect; without a listener Node would print each one.
    client.on('error', () => undefined);
    this.watchdog = new StallWatchdog(
      options.commandTimeoutMs,
      () => client.status === 'ready',
      // Destroyed rather than ended: a hung server would never finish the close (ioredis's socketTimeout does the same).
      () => client.stream?.destroy(new Error(`Redis answered nothing for ${options.commandTimeoutMs} ms`)),
    );
  }

  /**
   * Runs `command` if Redis can answer now; rejects with `CacheUnavailableError` otherwise. While
   * connected the command is sent synchronously, in the order `run` is called (a store's `set` followed
   * by a lock's release reach Redis in that order on the one connection).
   */
  readonly run: RunCommand = <T>(command: (client: Redis) => Promise<T>): Promise<T> => {
    if (this.closed) return Promise.reject(new CacheUnavailableError('the Redis cache store is closed'));
    this.watchdog.sent();
    return this.breaker
      .execute(() => {
        const waiting = this.connected();
        return waiting === undefined ? command(this.client) : waiting.then(() => command(this.client));
      })
      .then(this.settle, this.fail);
  };

  /** How long a connection may answer nothing while commands wait (the bound on closing one, too). */
  get commandTimeoutMs(): number {
    return this.options.commandTimeoutMs;
  }

  /** Later commands fail at once; the watchdog stops. */
  close(): void {
    this.closed = true;
    this.watchdog.stop();
  }

  /** `undefined` when the client can send now; a wait for the very first connection; else throws. */
  private connected(): Promise<void> | undefined {
    const status = this.client.status;
    if (status === 'ready') return undefined;
    if (this.everReady || !NOT_YET_CONNECTED.has(status)) throw new CacheUnavailableError(`Redis is not connected (${status})`);
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        this.client.off('end', onEnd);
        if (error) reject(error);
        else resolve();
      };
      const onReady = (): void => done();
      const onEnd = (): void => done(new CacheUnavailableError('the Redis connection ended'));
      const timer = setTimeout(
        () => done(new CacheUnavailableError(`Redis did not connect within ${this.options.connectTimeoutMs} ms`)),
        this.options.connectTimeoutMs,
      );
      timer.unref();
      this.client.once('ready', onReady);
      this.client.once('end', onEnd);
    });
  }
}

/** Any failure of a guarded command as the store reports it; Redis's own error replies are kept as they are. */
function toUnavailable(error: unknown): never {
  if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
    throw new CacheUnavailableError("Redis is unreachable (the store's breaker is open; it tries again shortly)", { cause: error });
  }
  if (error instanceof CacheUnavailableError || error instanceof ReplyError) throw error;
  throw new CacheUnavailableError(`Redis did not answer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/**
 * Closes a connection: QUIT when connected (pending replies arrive first), else at once (a QUIT sent while
 * reconnecting would wait in an offline queue, or fail, and the reconnect loop would go on). A server that
 * does not answer the QUIT within `quitTimeoutMs` (hung) has the connection destroyed instead: closing
 * never hangs.
 */
export async function closeClient(client: Redis, quitTimeoutMs: number): Promise<void> {
  if (client.status !== 'ready') return client.disconnect();
  const timer = setTimeout(() => client.stream?.destroy(), quitTimeoutMs);
  try {
    await client.quit();
  } catch {
    client.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
