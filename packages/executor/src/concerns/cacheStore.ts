import { handOff, prepareForCache } from '../cache/cachedResults';
import { healthOf, recordFailure, recordSuccess, UncacheableResultError } from '../cache/storeHealth';
import { eventBase } from '../events/eventBase';
import type { Call } from '../pipeline/Call';
import { cachePlan } from './cacheLookup';
import { defineConcern } from './Concern';

/**
 * Stores a successful result under the call's key. Errors and `undefined` are not cached; a failing
 * store is reported (`cacheError`, action `'set'`, `firstInOutage` once per outage of the store), never
 * thrown.
 *
 * What is stored is never an object a caller holds (see `cache/cachedResults.ts`): a primitive as is;
 * plain data as a deep-frozen copy, which this stage also hands to every caller sharing the flight,
 * while one caller (the one whose call started the flight) gets its own original back (through
 * `cacheLookup`); data
 * holding a Map, Set, Date, RegExp or binary array as a `structuredClone`, copied again for each
 * caller. A result that cannot be copied faithfully (a function, a class instance, a Buffer, an
 * Error…) is returned but not cached, and reported once per operation as a `cacheError` whose error
 * is an `UncacheableResultError` naming the offending part; so is a value the store itself refuses
 * (its `set` rejects with an `UncacheableResultError`: the Redis store cannot serialise a symbol), which
 * is not counted as an outage of the store.
 */
export const cacheStore = defineConcern({
  name: 'cacheStore',
  reads: ['cache'],
  configKeys: [],
  plan: cachePlan,
  create: (plan, { site, cache, events }) => {
    const health = healthOf(cache).set;
    let reportedUncacheable = false;
    const failed = (call: Call, error: unknown): void => {
      // A store that refuses this value (it cannot serialise it) is not failing: reported once per operation.
      if (error instanceof UncacheableResultError) return reportUncacheable(call, error);
      events.emit('cacheError', { ...eventBase(call), action: 'set', error, firstInOutage: recordFailure(health) });
    };
    const reportStored = (call: Call): void => {
      recordSuccess(health);
      if (events.wants('cacheStored')) events.emit('cacheStored', eventBase(call));
    };
    const reportUncacheable = (call: Call, error: UncacheableResultError): void => {
      if (reportedUncacheable) return;
      reportedUncacheable = true;
      events.emit('cacheError', { ...eventBase(call), action: 'set', error, firstInOutage: true });
    };
    const uncacheable = (call: Call, reason: string): void =>
      reportUncacheable(call, new UncacheableResultError(`${site.tool}.${site.operation}`, reason));
    const write = (call: Call, key: string, value: unknown): void => {
      try {
        const stored = cache.set(key, value, plan.ttlMs);
        if (stored)
          stored.then(
            () => reportStored(call),
            (error: unknown) => failed(call, error),
          );
        else reportStored(call);
      } catch (error) {
        failed(call, error);
      }
    };
    /** Stores `value`; returns what the callers sharing this flight receive. */
    const store = (call: Call, value: unknown): unknown => {
      const key = call.key;
      if (key === undefined || value === undefined) return value;
      if (typeof value === 'function') {
        uncacheable(call, 'it is a function');
        return value;
      }
      if (typeof value !== 'object' || value === null) {
        write(call, key, value);
        return value;
      }
      const prepared = prepareForCache(value);
      if (prepared.kind === 'uncacheable') {
        uncacheable(call, prepared.reason);
        return value;
      }
      write(call, key, prepared.value);
      handOff(prepared.value as object, value, prepared.kind === 'cloned');
      return prepared.value;
    };
    return { wrap: (next) => (call, input) => next(call, input).then((value) => store(call, value)) };
  },
});
