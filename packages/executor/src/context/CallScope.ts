import type { ToolContext } from '@aiecs/core';

/** The seed's user id when the caller gives none. */
export const DEFAULT_USER_ID = 'anonymous';
/** The seed's task id when the caller gives none. */
export const DEFAULT_TASK_ID = 'none';

/**
 * State of one call, shared by its attempts: who calls, and whether it has been aborted (deadline,
 * caller). Signals are created lazily: a call whose method never reads `context.signal` allocates
 * no AbortController.
 */
export class CallScope {
  /** Set once the call is aborted; later attempts must not start. */
  abortReason: unknown = undefined;
  /** The attempt running now (attempts of one call are sequential). */
  current: AttemptContext | undefined = undefined;
  /** Wake-ups of pending backoff waits; created by the first retry only. */
  private sleeps: Set<() => void> | undefined = undefined;

  constructor(
    readonly operation: string,
    readonly userId: string,
    readonly taskId: string,
  ) {}

  /** True once the call was aborted. */
  get aborted(): boolean {
    return this.abortReason !== undefined;
  }

  /** Starts attempt `attempt`: its context is what the method receives. */
  beginAttempt(attempt: number): AttemptContext {
    return (this.current = new AttemptContext(this, attempt));
  }

  /**
   * Aborts the call: the running attempt's signal, pending backoff sleeps, and any later attempt.
   * Returns `reason`, so a deadline callback can abort and hand the error to the caller in one step.
   */
  abort<R>(reason: R): R {
    if (this.abortReason !== undefined) return reason;
    this.abortReason = reason;
    this.current?.abort(reason);
    if (this.sleeps) for (const wake of this.sleeps) wake();
    return reason;
  }

  /** Throws the abort reason if the call was aborted (called before every attempt). */
  throwIfAborted(): void {
    if (this.abortReason !== undefined) throw this.abortReason;
  }

  /** Waits `ms`, or less if the call is aborted meanwhile (then rejects with the reason). The timer never outlives the wait. */
  sleep(ms: number): Promise<void> {
    if (this.abortReason !== undefined) return Promise.reject(this.abortReason);
    return new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleeps!.delete(wake);
        if (this.abortReason !== undefined) reject(this.abortReason);
        else resolve();
      };
      const timer = setTimeout(wake, ms);
      (this.sleeps ??= new Set()).add(wake);
    });
  }
}

/** The `ToolContext` of one attempt. Its signal is aborted on attempt timeout, call deadline or caller abort. */
export class AttemptContext implements ToolContext {
  private controller: AbortController | undefined = undefined;
  private abortReason: unknown = undefined;

  constructor(
    private readonly scope: CallScope,
    readonly attempt: number,
  ) {}

  get userId(): string {
    return this.scope.userId;
  }

  get taskId(): string {
    return this.scope.taskId;
  }

  get operation(): string {
    return this.scope.operation;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      const reason = this.abortReason ?? this.scope.abortReason;
      if (reason !== undefined) this.controller.abort(reason);
    }
    return this.controller.signal;
  }

  /** Aborts this attempt's signal (now, or when it is first read). */
  abort(reason: unknown): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /** True when `value` is the context of a running attempt of `operation` (a re-entrant `super` call). */
  static isActive(value: unknown, operation: string): value is AttemptContext {
    return value instanceof AttemptContext && value.scope.operation === operation && value.scope.current === value;
  }
}
