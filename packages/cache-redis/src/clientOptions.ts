import type { RedisOptions } from 'ioredis';

/** How long the store waits on Redis; every field in ms. */
export interface FailFastTimings {
  /** Longest a TCP connect (and the handshake) may take before the attempt fails (default 1000). */
  readonly connectTimeoutMs: number;
  /** Longest pause between reconnect attempts; they start at 50 ms and double up to this (default 1000). */
  readonly maxReconnectDelayMs: number;
}

/** The defaults of `FailFastTimings`. */
export const DEFAULT_TIMINGS: FailFastTimings = Object.freeze({ connectTimeoutMs: 1000, maxReconnectDelayMs: 1000 });

/**
 * ioredis options for a cache that must never make a call wait on a dead server. ioredis's defaults suit a
 * database client, not a cache: commands sent while disconnected wait in an offline queue, each is retried
 * on 20 reconnections (`maxRetriesPerRequest`), and there is no per-command timeout, so a call could wait
 * ~10 s or forever. Here a command sent while disconnected fails at once (no offline queue), a command in
 * flight when the connection drops fails at once (no per-request retries), and the client keeps
 * reconnecting in the background with a bounded delay, so the store recovers by itself. No
 * `commandTimeout`: the store's `StallWatchdog` drops a connection that stops answering, without a Node
 * timer per command (a client of yours used outside the store has no bound on a hung server). RESP2 (`protocol: 2`): the store needs nothing of RESP3,
 * and RESP2 works with every Redis-compatible server and proxy.
 */
export function failFastOptions(timings: FailFastTimings): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timings.connectTimeoutMs,
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 10), timings.maxReconnectDelayMs),
    autoResubscribe: true,
    lazyConnect: false,
    protocol: 2,
  };
}
