import { ToolExecutionError, type CallOptions } from '@aiecs/core';
import type { CacheStore } from '../cache/CacheStore';
import type { Call, CallControl } from './Call';
import type { Handler } from './Handler';

/**
 * A call whose caller and cache key are fixed at the door, not made yet: answered from the cache at
 * once, or run later with what only the transport knows then (its abort signal, a progress listener).
 * An MCP server uses it to answer a cache hit before the SDK's request handling, and to run a miss
 * once the SDK has accepted the request, without computing the key twice. A prepared call makes at
 * most one call: `fromCache`'s answer, or `run`'s.
 *
 * @example
 * ```ts
 * const prepared = app.prepare('file.read', { path: 'a.txt' }, { userId: 'u1' });
 * const result = (await prepared.fromCache()) ?? (await prepared.run({ signal }));
 * ```
 */
export interface PreparedCall {
  /**
   * Makes the call from the cache when a synchronous store (the in-memory default) holds its entry
   * now: the hit is recorded (events, metrics, spans, output screening) and the promise settles without
   * the operation running. `undefined` when it cannot: no entry, an operation without `@CacheResult`,
   * an asynchronous store (Redis), a call refused at the door. Nothing is then recorded; `run` makes
   * the call.
   */
  fromCache(): Promise<unknown> | undefined;
  /**
   * Makes the call through the whole pipeline, as `run()` does; `control` adds (or replaces) the
   * caller's signal, deadline and progress listener, which are not part of the key.
   */
  run(control?: CallControl): Promise<unknown>;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

/**
 * The prepared form of `call` (made by the door, not yet entered): `handler` is the operation's
 * pipeline, `store` the cache when its reads answer synchronously (`undefined` otherwise).
 */
export function prepareCall(call: Call, input: unknown, handler: Handler, store: CacheStore | undefined): PreparedCall {
  let spent = false;
  return {
    fromCache: () => {
      const key = call.key;
      if (spent || store === undefined || key === undefined) return undefined;
      let entry: unknown;
      try {
        entry = store.get(key);
      } catch {
        return undefined; // the call meets the failing store in its own lookup, which reports it
      }
      if (entry === undefined || isPromiseLike(entry)) return undefined;
      spent = true;
      call.cachedEntry = entry;
      return handler(call, input);
    },
    run: (control) => {
      if (spent) return Promise.reject(new ToolExecutionError(call.site, 'this prepared call was already made', { kind: 'caller' }));
      spent = true;
      return handler(call.withControl(control), input);
    },
  };
}

/** A prepared call the door cannot prepare (refused, unknown): never answered from the cache; `run` makes it as `run()` would. */
export function deferredCall(run: (options: CallOptions | undefined) => Promise<unknown>, options: CallOptions | undefined): PreparedCall {
  return {
    fromCache: () => undefined,
    run: (control) => {
      try {
        return run(control === undefined ? options : { ...options, ...control });
      } catch (error) {
        return Promise.reject(error); // a hostile options object that cannot be spread
      }
    },
  };
}
