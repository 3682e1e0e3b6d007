import type { SingleFlight } from '../../cache/SingleFlight';
import type { Middleware } from '../Invocation';

/** Concurrent misses with the same cache key run the method once and share its result or error. */
export function singleFlightStage(flights: SingleFlight): Middleware {
  return (next) => (invocation) => {
    const key = invocation.cacheKey;
    return key === undefined ? next(invocation) : flights.run(key, () => next(invocation));
  };
}
