import { AbortedError, checkNumber, TimeoutError } from '@aiecs/core';
import { watchAbort, type AbortWatch } from '../context/watchAbort';
import { eventBase } from '../events/eventBase';
import { oneShotTimer, type ExpiryScheduler } from '../policies/FixedDelayTimer';
import { defineConcern } from './Concern';

/** The overall deadline in ms (0 = none); `setOperationTimeout` can change it at run time. */
export interface DeadlinePlan {
  readonly timeoutMs: number;
}

/** Node fires timers longer than 2^31 - 1 ms after 1 ms: a deadline further away is no deadline at all. */
const MAX_TIMER_MS = 2_147_483_647;

function remainingMs(timeoutMs: number, deadlineMs: number | undefined): number | undefined {
  const fromDeadline = deadlineMs === undefined ? undefined : Math.max(0, deadlineMs - Date.now());
  const ms = timeoutMs <= 0 ? fromDeadline : fromDeadline === undefined ? timeoutMs : Math.min(timeoutMs, fromDeadline);
  return ms !== undefined && ms > MAX_TIMER_MS ? undefined : ms;
}

/**
 * Bounds the whole call, retries and backoff included: the caller is released at the deadline (the
 * earlier of the operation's timeout and the caller's `deadlineMs`) or when its own signal aborts, even
 * if the method ignores its signal; the call is aborted so no attempt starts later. Always active: it
 * also watches the caller's signal.
 */
export const deadline = defineConcern({
  name: 'deadline',
  reads: [],
  configKeys: ['timeoutMs'],
  check: (configured, path) => {
    if (configured.timeoutMs !== undefined) checkNumber(`${path}.timeoutMs`, configured.timeoutMs);
  },
  plan: ({ configured, config }): DeadlinePlan => ({ timeoutMs: configured.timeoutMs ?? config.timeoutMs }),
  create: (_plan, { site, timers, timeoutMs, events }) => ({
    wrap: (next) => (call, input) => {
      const signal = call.signal;
      if (signal?.aborted) return Promise.reject(call.abort(new AbortedError({ cause: signal.reason })));
      const configuredMs = timeoutMs();
      const ms = remainingMs(configuredMs, call.deadlineMs);
      if (ms === undefined && signal === undefined) return next(call, input);
      // The operation's own timeout is the same for every call: one shared queue timer. A caller's
      // earlier deadline differs per call: a timer of its own.
      const timer: ExpiryScheduler | undefined =
        ms === undefined ? undefined : ms === configuredMs ? timers.forDelay(ms) : oneShotTimer(ms);
      return new Promise((resolve, reject) => {
        // Whichever comes first (the work, the deadline, the caller's abort) releases the caller and
        // cancels the other two, so no timer or listener outlives the call.
        let expiry: unknown;
        let watch: AbortWatch | undefined;
        const release = (): void => {
          if (expiry !== undefined) timer!.cancel(expiry);
          watch?.end();
        };
        const aborted = (): void => {
          release();
          reject(call.abort(new AbortedError({ cause: signal!.reason })));
        };
        if (timer !== undefined) {
          expiry = timer.schedule(() => {
            expiry = undefined;
            watch?.end();
            events.emit('timeout', { ...eventBase(call), scope: 'call', timeoutMs: ms! });
            reject(call.abort(new TimeoutError(ms!, 'call', site)));
          });
        }
        if (signal !== undefined) watch = watchAbort(signal, aborted);
        const settled = (outcome: unknown, failed: boolean): void => {
          // The watch listens only from the next turn: an abort in this one is seen here.
          if (signal?.aborted) return aborted();
          release();
          if (failed) reject(outcome);
          else resolve(outcome);
        };
        next(call, input).then(
          (value) => settled(value, false),
          (error: unknown) => settled(error, true),
        );
      });
    },
  }),
});
