import { DEFAULT_FLIGHT_LOCK_TTL_MS, runSharedFlight } from '../cache/sharedFlight';
import { Call } from '../pipeline/Call';
import type { Handler } from '../pipeline/Handler';
import { cachePlan } from './cacheLookup';
import { defineConcern } from './Concern';

/**
 * Concurrent misses with the same cache key run the method once and share its result or error.
 *
 * The shared execution runs under a call of its own (the "flight call": same site, method, user, task
 * and key, but no signal and no deadline), never under the first caller's: each caller is released by
 * its own deadline or abort (the `deadline` stage, outside this one, does that and aborts the caller's
 * call), and no caller's abort reaches the execution. Each caller's call reports leaving through
 * `whenAborted`; when every caller waiting on the flight has left, the flight call is aborted with the
 * reason of the last one to leave (so the method's signal aborts and no further attempt starts), and the
 * flight is dropped, so a later call starts afresh. The execution thus runs until the latest caller's
 * deadline at most. A call that finds no flight pays for the flight call and one flight record.
 *
 * Across processes: when the store can lock keys for every process sharing it (`cache.flightLocks`,
 * the Redis store), the flight of this process first takes the key's lock, for the operation's
 * timeout (or 30 s without one); a process that finds it taken waits for the holder's result instead
 * of running the method (see `cache/sharedFlight.ts`). Without `flightLocks` nothing changes.
 */
export const singleFlight = defineConcern({
  name: 'singleFlight',
  reads: ['cache'],
  configKeys: [],
  plan: cachePlan,
  create: (_plan, { flights, cache, timeoutMs }) => {
    const locks = cache.flightLocks;
    const execute =
      locks === undefined
        ? (flightCall: Call, input: unknown, next: Handler): Promise<unknown> => next(flightCall, input)
        : (flightCall: Call, input: unknown, next: Handler): Promise<unknown> =>
            runSharedFlight(locks, cache, flightCall.key!, timeoutMs() > 0 ? timeoutMs() : DEFAULT_FLIGHT_LOCK_TTL_MS, flightCall, () =>
              next(flightCall, input),
            );
    return {
      wrap: (next) => (call, input) => {
        const key = call.key;
        if (key === undefined) return next(call, input);
        // A caller already released never starts or joins a flight.
        if (call.aborted) return Promise.reject(call.abortReason);
        const running = flights.join(key, call);
        if (running !== undefined) {
          call.followAttempts(flights.ownerOf(key) as Call);
          return running;
        }
        // The body runs once for every caller sharing the flight; it sees the first caller's tool-call id.
        const flightCall = new Call(
          call.site,
          call.method,
          call.userId,
          call.taskId,
          undefined,
          undefined,
          key,
          undefined,
          call.toolCallId,
        );
        call.followAttempts(flightCall);
        let execution: Promise<unknown>;
        try {
          execution = execute(flightCall, input, next);
        } catch (error) {
          // Handlers never throw synchronously; should one do so, it is not registered.
          return Promise.reject(error);
        }
        return flights.start(key, execution, call, flightCall);
      },
    };
  },
});
