import { InputValidationError, ToolExecutionError, type CallOptions, type OperationSite } from '@aiecs/core';
import type { CacheStore } from '../cache/CacheStore';
import type { EventBus } from '../events/EventBus';
import { reportRefusal } from '../events/reportRefusal';
import { readCallOptions, Refusal } from '../tool/callDoor';
import { Call, type CallControl, type OperationMethod } from './Call';
import type { Handler } from './Handler';

/**
 * A call whose caller and cache key are fixed at the door, not made yet: answered from the cache at
 * once, or run later with what only the transport knows then (its abort signal, a progress listener).
 * The MCP server uses it to answer a cache hit without making an abort signal for it, and to run a
 * miss with the request's signal, the key computed once either way. A prepared call makes at most one
 * call: `fromCache`'s answer, or `run`'s.
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

/** What the prepared calls of one operation share, made once with its pipeline. */
export interface PreparingOperation {
  readonly site: OperationSite;
  /** The operation's pipeline. */
  readonly handler: Handler;
  /** The cache when its reads answer synchronously; `undefined` otherwise (or when the operation is not cached). */
  readonly readsAtOnce: CacheStore | undefined;
  /** Where a refused `run(control)` is reported. */
  readonly events: EventBus;
}

/**
 * A call opened at the door: caller and key fixed, its `Call` made only when it is made (one object per
 * prepared call, no closures: an MCP miss goes through here).
 */
export class OpenCall implements PreparedCall {
  private spent = false;

  constructor(
    private readonly operation: PreparingOperation,
    private readonly method: OperationMethod,
    private readonly input: unknown,
    /** The checked call options. */
    private readonly options: CallOptions | undefined,
    private readonly userId: string,
    private readonly taskId: string,
    private readonly key: string | undefined,
  ) {}

  fromCache(): Promise<unknown> | undefined {
    const { key } = this;
    const store = this.operation.readsAtOnce;
    if (this.spent || store === undefined || key === undefined) return undefined;
    let entry: unknown;
    try {
      entry = store.get(key);
    } catch {
      return undefined; // the call meets the failing store in its own lookup, which reports it
    }
    if (entry === undefined || isPromiseLike(entry)) return undefined;
    this.spent = true;
    const call = this.call(undefined, undefined, undefined);
    call.cachedEntry = entry;
    return this.operation.handler(call, this.input);
  }

  run(control?: CallControl): Promise<unknown> {
    if (this.spent) {
      return Promise.reject(new ToolExecutionError(this.operation.site, 'this prepared call was already made', { kind: 'caller' }));
    }
    this.spent = true;
    if (control === undefined) return this.operation.handler(this.call(undefined, undefined, undefined), this.input);
    // Read once and checked like any call options (a getter cannot answer differently later).
    const checked = readCallOptions(control);
    if (checked instanceof Refusal) {
      const error = new InputValidationError([checked.problem], this.operation.site.operation);
      const caller = { userId: this.userId, taskId: this.taskId, toolCallId: this.options?.toolCallId };
      return Promise.reject(reportRefusal(this.operation.events, this.operation.site, caller, error));
    }
    return this.operation.handler(this.call(checked.signal, checked.deadlineMs, checked.onProgress), this.input);
  }

  private call(signal: AbortSignal | undefined, deadlineMs: number | undefined, onProgress: CallOptions['onProgress']): Call {
    const { options } = this;
    return new Call(
      this.operation.site,
      this.method,
      this.userId,
      this.taskId,
      signal ?? options?.signal,
      deadlineMs ?? options?.deadlineMs,
      this.key,
      onProgress ?? options?.onProgress,
      options?.toolCallId,
    );
  }
}

/**
 * A prepared call that is only deferred: never answered from the cache; `run(control)` calls `run` with
 * `options` and the control over them. What the door gives for a call it refuses, and what an adapter
 * uses for a source that cannot prepare calls.
 */
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
