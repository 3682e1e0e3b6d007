import { eventBase } from '../events/eventBase';
import type { Call } from '../pipeline/Call';
import { cachePlan } from './cacheLookup';
import { defineConcern } from './Concern';

/** Stores a successful result under the call's key. Errors and `undefined` are not cached; a failing store is reported, not thrown. */
export const cacheStore = defineConcern({
  name: 'cacheStore',
  reads: ['cache'],
  configKeys: [],
  plan: cachePlan,
  create: (plan, { cache, events }) => {
    const failed = (call: Call, error: unknown): void => events.emit('cacheError', { ...eventBase(call), action: 'set', error });
    const reportStored = (call: Call): void => {
      if (events.wants('cacheStored')) events.emit('cacheStored', eventBase(call));
    };
    const store = (call: Call, value: unknown): unknown => {
      const key = call.key;
      if (key === undefined || value === undefined) return value;
      try {
        const stored = cache.set(key, value, plan.ttlMs);
        if (stored) stored.then(() => reportStored(call), (error: unknown) => failed(call, error));
        else reportStored(call);
      } catch (error) {
        failed(call, error);
      }
      return value;
    };
    return { wrap: (next) => (call, input) => next(call, input).then((value) => store(call, value)) };
  },
});
