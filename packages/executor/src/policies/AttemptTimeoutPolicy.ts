import { TimeoutError, type OperationSite, type TimeoutOptions } from '@aiecs/core';
import { EventEmitter, type IDefaultPolicyContext, type IFailureEvent, type IPolicy, type ISuccessEvent } from 'cockatiel';
import type { FixedDelayTimer } from './FixedDelayTimer';
import { raceDeadline, signalAtDeadline } from './raceDeadline';

/**
 * A per-attempt timeout that composes with cockatiel's `wrap()` (it is an `IPolicy`), on the shared
 * `FixedDelayTimer` instead of cockatiel's `TimeoutPolicy`. Measured here, `timeout()` costs 28–44 µs per
 * call because it aborts a fresh `AbortController` (building a `DOMException`) on every call; this
 * policy schedules on one Node timer per delay and aborts nothing unless the limit passes.
 * `aggressive` (default) rejects at the limit; `cooperative` only aborts the attempt and waits.
 */
export class AttemptTimeoutPolicy implements IPolicy {
  declare readonly _altReturn: never;
  private readonly successEmitter = new EventEmitter<ISuccessEvent>();
  private readonly failureEmitter = new EventEmitter<IFailureEvent>();
  private readonly timeoutEmitter = new EventEmitter<void>();
  /** Fires when a call completes in time. */
  readonly onSuccess = this.successEmitter.addListener;
  /** Fires when a call fails (a timeout included). */
  readonly onFailure = this.failureEmitter.addListener;
  /** Fires when the limit passes. */
  readonly onTimeout = this.timeoutEmitter.addListener;

  constructor(
    readonly options: TimeoutOptions,
    private readonly timer: FixedDelayTimer,
    private readonly site?: OperationSite,
  ) {}

  /** cockatiel's `IPolicy.execute`: `fn` gets a signal aborted at the limit (or when `signal` aborts). */
  execute<T>(fn: (context: IDefaultPolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
    const controller = new AbortController();
    const onParentAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onParentAbort, { once: true });
    return this.run(
      async () => fn({ signal: controller.signal }),
      (error) => controller.abort(error),
    ).finally(() => signal?.removeEventListener('abort', onParentAbort));
  }

  /** The pipeline's path: runs `work`; at the limit calls `abort(error)` and (aggressive) rejects with it. */
  run<T>(work: () => Promise<T>, abort: (error: TimeoutError) => void): Promise<T> {
    const started = this.successEmitter.size + this.failureEmitter.size > 0 ? performance.now() : 0;
    const expire = (): TimeoutError => {
      const error = new TimeoutError(this.options.ms, 'attempt', this.site);
      abort(error);
      this.timeoutEmitter.emit();
      return error;
    };
    const settled =
      this.options.strategy === 'cooperative' ? signalAtDeadline(work, this.timer, expire) : raceDeadline(work, this.timer, expire);
    if (started === 0) return settled;
    return settled.then(
      (value) => {
        this.successEmitter.emit({ duration: performance.now() - started });
        return value;
      },
      (error: unknown) => {
        this.failureEmitter.emit({ duration: performance.now() - started, handled: error instanceof TimeoutError, reason: { error: error as Error } });
        throw error;
      },
    );
  }
}
