import { checkNumber } from '@aiecs/core';
import { protectHit, resultForCaller } from '../cache/cachedResults';
import { CacheTimeoutError, healthOf, recordFailure, recordSuccess } from '../cache/storeHealth';
import { eventBase } from '../events/eventBase';
import type { Call } from '../pipeline/Call';
import type { Handler } from '../pipeline/Handler';
import { oneShotTimer, type ExpiryScheduler } from '../policies/FixedDelayTimer';
import { defineConcern, type PlanSources } from './Concern';

/**
 * The cache plan the three cache stages share: the entry lifetime (ms; 0 = never expires) and the
 * longest a store read may take before the call goes on as a miss (`cacheTimeoutMs`; 0 = bounded
 * only by the deadlines; absent = the default, 50 ms).
 */
export interface CachePlan {
  readonly ttlMs: number;
  readonly lookupTimeoutMs?: number;
}

/** `cacheTimeoutMs`'s default, for a plan that does not carry it. */
const DEFAULT_LOOKUP_TIMEOUT_MS = 50;

/** `@CacheResult`, unless caching is off for the tool (`enableCache: false`, `cacheSize: 0`). */
export function cachePlan({ declared, configured, config }: PlanSources): CachePlan | undefined {
  if (!config.enableCache || config.cacheSize === 0 || declared.cache === undefined) return undefined;
  return { ttlMs: configured.cacheTtlMs ?? declared.cache.ttlMs ?? config.cacheTtlMs, lookupTimeoutMs: config.cacheTimeoutMs };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

const positiveOrInfinity = (ms: number): number => (ms > 0 ? ms : Number.POSITIVE_INFINITY);

/**
 * Returns a cached result without validating: the key covers the raw input, and only inputs that
 * passed validation and sanitisation were ever stored. User and task are part of the key, so tenants
 * never share entries. An input the key cannot encode bypasses the cache.
 *
 * The store fails open, within a bound: a `get` that throws or rejects is a miss, and an asynchronous
 * `get` is raced against `cacheTimeoutMs` and the call's remaining deadline (the caller's `deadlineMs`,
 * and the operation's timeout), whichever is shorter: past it the call goes on as a miss and the late
 * answer is ignored. A synchronous store (the in-memory LRU) pays nothing for this: no timer, no
 * promise. Each failing call emits one `cacheError`; `firstInOutage` is true only for the first failure
 * after a success (or the first ever) of that store, shared by every tool using it, so logs say once
 * per outage that the cache is failing.
 *
 * A hit returns a frozen value (or, for entries holding a Map, Set, Date…, a copy of its own): see
 * `cache/cachedResults.ts`. The caller whose miss started the flight receives its own original.
 */
export const cacheLookup = defineConcern({
  name: 'cacheLookup',
  reads: ['cache'],
  configKeys: ['cacheTtlMs'],
  check: (configured, path) => {
    if (configured.cacheTtlMs !== undefined) checkNumber(`${path}.cacheTtlMs`, configured.cacheTtlMs);
  },
  plan: cachePlan,
  create: (plan, { cache, events, timers, timeoutMs }) => {
    const health = healthOf(cache).get;
    const lookupTimeoutMs = positiveOrInfinity(plan.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS);
    const wrap = (next: Handler): Handler => {
      const miss = (call: Call, input: unknown): Promise<unknown> => {
        call.cacheOutcome ??= 'miss';
        if (events.wants('cacheMiss')) events.emit('cacheMiss', eventBase(call));
        return next(call, input).then(resultForCaller);
      };
      const failed = (call: Call, input: unknown, error: unknown): Promise<unknown> => {
        call.cacheOutcome = 'error';
        events.emit('cacheError', { ...eventBase(call), action: 'get', error, firstInOutage: recordFailure(health) });
        return miss(call, input);
      };
      /** Records a hit and returns what the caller gets. */
      const hit = (call: Call, value: unknown): unknown => {
        call.cacheOutcome = 'hit';
        if (events.wants('cacheHit')) events.emit('cacheHit', eventBase(call));
        return protectHit(value);
      };
      /** What a store read that answered `value` gives the caller: a hit, or the rest of the pipeline. */
      const found = (call: Call, input: unknown, value: unknown): unknown => {
        recordSuccess(health);
        return value === undefined ? miss(call, input) : hit(call, value);
      };
      /**
       * Races an asynchronous get against the bound; the first to settle decides, the other is ignored.
       * A hit resolves with its value directly (not a promise of it: adopting one costs two more turns).
       */
      const bounded = (call: Call, input: unknown, pending: PromiseLike<unknown>): Promise<unknown> => {
        const operationMs = positiveOrInfinity(timeoutMs());
        const deadlineMs = call.deadlineMs === undefined ? Number.POSITIVE_INFINITY : Math.max(0, call.deadlineMs - Date.now());
        const ms = Math.min(lookupTimeoutMs, operationMs, deadlineMs);
        const answer = pending instanceof Promise ? pending : Promise.resolve(pending);
        if (ms === Number.POSITIVE_INFINITY) {
          return answer.then(
            (v) => found(call, input, v),
            (error: unknown) => failed(call, input, error),
          );
        }
        // cacheTimeoutMs and the operation's timeout are the same for every call: a shared queue
        // timer (one Node timer per delay). A caller's earlier deadline differs per call: its own.
        const timer: ExpiryScheduler =
          ms === deadlineMs && ms < Math.min(lookupTimeoutMs, operationMs) ? oneShotTimer(ms) : timers.forDelay(ms);
        return new Promise((resolve) => {
          let settled = false;
          const expiry = timer.schedule(() => {
            settled = true;
            resolve(failed(call, input, new CacheTimeoutError(ms)));
          });
          answer.then(
            (v) => {
              if (settled) return; // a late answer from a timed-out get is ignored
              settled = true;
              timer.cancel(expiry);
              resolve(found(call, input, v));
            },
            (error: unknown) => {
              if (settled) return;
              settled = true;
              timer.cancel(expiry);
              resolve(failed(call, input, error));
            },
          );
        });
      };
      return (call, input) => {
        const key = call.key;
        if (key === undefined) {
          call.cacheOutcome = 'bypass';
          return next(call, input);
        }
        // The door may have read the entry already (`PreparedCall.fromCache`): one read per call.
        let value: unknown = call.cachedEntry;
        if (value === undefined) {
          try {
            value = cache.get(key);
          } catch (error) {
            return failed(call, input, error);
          }
        }
        if (isPromiseLike(value)) return bounded(call, input, value);
        const answer = found(call, input, value);
        // A synchronous hit answers the call at once (see Handler); a miss is the rest of the pipeline's promise.
        return call.cacheOutcome === 'hit' ? call.answerNow(answer) : (answer as Promise<unknown>);
      };
    };
    return { wrap };
  },
});
