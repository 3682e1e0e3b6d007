import type { CallOptions, OperationSite, ProgressReport, ToolContext } from '@aiecs/core';
import type { AbortSource, HasAbortSource } from '../context/abortSource';
import type { CacheOutcome } from '../events/ToolEvents';

/** The seed's user id when the caller gives none. */
export const DEFAULT_USER_ID = 'anonymous';
/** The seed's task id when the caller gives none. */
export const DEFAULT_TASK_ID = 'none';

/** The call options that do not change who calls or the cache key: what `PreparedCall.run` may add. */
export type CallControl = Pick<CallOptions, 'signal' | 'deadlineMs' | 'onProgress'>;

/** A tool method as the pipeline calls it. */
export type OperationMethod = (this: object, input: unknown, context: ToolContext) => unknown;

/**
 * One call, made once at the pipeline's door: who calls (user, task), where (tool, operation), the
 * caller's signal and deadline, and the cache key. Its fields never change; what changes is only its
 * cancellation state (`abort`) and the attempt running now, which the attempts of the call share.
 * Signals are created lazily: a call whose method never reads `ctx.signal` allocates no AbortController.
 */
export class Call {
  /** Set once the call is aborted; later attempts must not start. */
  abortReason: unknown = undefined;
  /** The attempt running now (attempts of one call are sequential). */
  current: AttemptContext | undefined = undefined;
  /** Called once when the call is aborted; created by the first `whenAborted` only. */
  // Most calls get one or two listeners (single flight, an attempt timeout): two slots, no Set.
  private abortListenerA: ((reason: unknown) => void) | undefined = undefined;
  private abortListenerB: ((reason: unknown) => void) | undefined = undefined;
  private moreAbortListeners: Set<(reason: unknown) => void> | undefined = undefined;
  /** The call whose attempts this one reports (set when it shares a flight). */
  private attemptsOf: Call | undefined = undefined;
  /** What the cache did for this call, set once by `cacheLookup` (for `callEnded`); undefined when not cached. */
  cacheOutcome: CacheOutcome | undefined = undefined;
  /**
   * True when a stage answered the call synchronously (a hit in a synchronous store): `answer` is then
   * the value the promise it returned resolves to, so the stages above it need not wait for that
   * promise to learn the outcome (see `Handler`).
   */
  answered = false;
  /** The synchronous answer, when `answered`. */
  answer: unknown = undefined;
  /**
   * The cache entry the door already read for this call (`PreparedCall.fromCache`), set before the
   * call enters: `cacheLookup` answers with it instead of reading the store a second time.
   */
  cachedEntry: unknown = undefined;
  /** Progress listeners of the calls that follow this one's attempts (the callers sharing its flight). */
  private progressFollowers: ((report: ProgressReport) => void)[] | undefined = undefined;

  constructor(
    readonly site: OperationSite,
    readonly method: OperationMethod,
    readonly userId: string,
    readonly taskId: string,
    /** The caller's signal (aborting it aborts the call). */
    readonly signal: AbortSignal | undefined,
    /** The caller's absolute deadline, epoch ms. */
    readonly deadlineMs: number | undefined,
    /** Cache key; `undefined` when the operation is not cached or the input has no key. */
    readonly key: string | undefined,
    /** The caller's progress listener (`CallOptions.onProgress`). */
    readonly onProgress?: (report: ProgressReport) => void,
    /** The model's id for this tool call (`CallOptions.toolCallId`). */
    readonly toolCallId?: string,
  ) {}

  /** Builds the call for `options` as the caller passed them. */
  static open(
    site: OperationSite,
    method: OperationMethod,
    input: unknown,
    options: CallOptions | undefined,
    keyOf: (userId: string, taskId: string, input: unknown) => string | undefined,
  ): Call {
    const userId = options?.userId ?? DEFAULT_USER_ID;
    const taskId = options?.taskId ?? DEFAULT_TASK_ID;
    const key = keyOf(userId, taskId, input);
    return new Call(site, method, userId, taskId, options?.signal, options?.deadlineMs, key, options?.onProgress, options?.toolCallId);
  }

  /** Answers the call now with `value` (see `answered`); returns the promise a stage hands back. */
  answerNow(value: unknown): Promise<unknown> {
    this.answered = true;
    this.answer = value;
    return Promise.resolve(value);
  }

  /** Number of the running (or last) attempt; 0 before the first (a caller sharing a flight reports the flight's). */
  get attempt(): number {
    const attempts = this.attemptsOf ?? this;
    return attempts.current === undefined ? 0 : attempts.current.attempt;
  }

  /** Reports `other`'s attempts as this call's (a caller waiting on a shared execution), their progress included. */
  followAttempts(other: Call): void {
    this.attemptsOf = other;
    if (this.onProgress !== undefined) (other.progressFollowers ??= []).push(this.onProgress);
  }

  /** Hands a progress report to the caller and to every caller following this call's attempts; a listener that throws is ignored. */
  reportProgress(report: ProgressReport): void {
    tell(this.onProgress, report);
    if (this.progressFollowers !== undefined) for (const listener of this.progressFollowers) tell(listener, report);
  }

  /** True once the call was aborted. */
  get aborted(): boolean {
    return this.abortReason !== undefined;
  }

  /** Starts the next attempt: its context is what the method receives. */
  beginAttempt(): AttemptContext {
    return (this.current = new AttemptContext(this, this.attempt + 1));
  }

  /**
   * Aborts the call: the running attempt's signal, and any later attempt. Returns `reason`, so a
   * deadline callback can abort and hand the error to the caller in one step.
   */
  abort<R>(reason: R): R {
    if (this.abortReason !== undefined) return reason;
    this.abortReason = reason;
    this.current?.abort(reason);
    const a = this.abortListenerA;
    const b = this.abortListenerB;
    const more = this.moreAbortListeners;
    this.abortListenerA = this.abortListenerB = this.moreAbortListeners = undefined;
    a?.(reason);
    b?.(reason);
    if (more !== undefined) for (const listener of more) listener(reason);
    return reason;
  }

  /** Listeners `whenAborted` still holds (leak checks). */
  get pendingAbortListeners(): number {
    return (this.abortListenerA ? 1 : 0) + (this.abortListenerB ? 1 : 0) + (this.moreAbortListeners?.size ?? 0);
  }

  /**
   * Calls `listener(reason)` when the call is aborted (at once if it already was); returns the
   * unsubscribe function. For stages that hold something for the call (a timer, a shared flight).
   */
  whenAborted(listener: (reason: unknown) => void): () => void {
    if (this.abortReason !== undefined) {
      listener(this.abortReason);
      return () => undefined;
    }
    if (this.abortListenerA === undefined) {
      this.abortListenerA = listener;
      return () => {
        if (this.abortListenerA === listener) this.abortListenerA = undefined;
      };
    }
    if (this.abortListenerB === undefined) {
      this.abortListenerB = listener;
      return () => {
        if (this.abortListenerB === listener) this.abortListenerB = undefined;
      };
    }
    (this.moreAbortListeners ??= new Set()).add(listener);
    return () => void this.moreAbortListeners?.delete(listener);
  }
}

/** The `ToolContext` of one attempt. Its signal is aborted on attempt timeout, call deadline or caller abort. */
export class AttemptContext implements ToolContext, HasAbortSource {
  private controller: AbortController | undefined = undefined;
  private abortReason: unknown = undefined;
  private source: AttemptAbortSource | undefined = undefined;

  constructor(
    private readonly call: Call,
    readonly attempt: number,
  ) {}

  get userId(): string {
    return this.call.userId;
  }

  get taskId(): string {
    return this.call.taskId;
  }

  get operation(): string {
    return this.call.site.operation;
  }

  get toolCallId(): string | undefined {
    return this.call.toolCallId;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      const reason = this.abortReason ?? this.call.abortReason;
      if (reason !== undefined) this.controller.abort(reason);
    }
    return this.controller.signal;
  }

  /** This attempt's abort for an invoker, without an `AbortSignal` (see `abortSourceOf`). */
  get abortSource(): AbortSource {
    return (this.source ??= new AttemptAbortSource(this));
  }

  /** Why the attempt was aborted (its own timeout, or the call's abort), if it was. */
  get abortedWith(): unknown {
    return this.abortReason ?? this.call.abortReason;
  }

  reportProgress(progress: number, total?: number, message?: string): void {
    this.call.reportProgress(total === undefined && message === undefined ? { progress } : { progress, total, message });
  }

  /** Aborts this attempt's signal (now, or when it is first read). */
  abort(reason: unknown): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
    this.source?.fire();
  }

  /** True when `value` is the context of a running attempt of `operation` (a re-entrant `super` call). */
  static isActive(value: unknown, operation: string): value is AttemptContext {
    return value instanceof AttemptContext && value.call.site.operation === operation && value.call.current === value;
  }
}

/** An attempt's abort as an {@link AbortSource}: its listeners are called once, when the attempt aborts. */
class AttemptAbortSource implements AbortSource {
  private listeners: (() => void)[] | undefined = undefined;

  constructor(private readonly attempt: AttemptContext) {}

  get aborted(): boolean {
    return this.attempt.abortedWith !== undefined;
  }

  get reason(): unknown {
    return this.attempt.abortedWith;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.listeners?.indexOf(listener) ?? -1;
    if (at >= 0) this.listeners!.splice(at, 1);
  }

  fire(): void {
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}

function tell(listener: ((report: ProgressReport) => void) | undefined, report: ProgressReport): void {
  if (listener === undefined) return;
  try {
    listener(report);
  } catch {
    // A progress listener's failure is not the operation's.
  }
}
