import { cachePlan } from './cacheLookup';
import { defineConcern } from './Concern';

/** Concurrent misses with the same cache key run the method once and share its result or error. */
export const singleFlight = defineConcern({
  name: 'singleFlight',
  reads: ['cache'],
  configKeys: [],
  plan: cachePlan,
  create: (_plan, { flights }) => ({
    wrap: (next) => (call, input) => {
      const key = call.key;
      return key === undefined ? next(call, input) : flights.run(key, () => next(call, input));
    },
  }),
});
