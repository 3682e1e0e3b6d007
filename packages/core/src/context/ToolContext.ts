/** The second argument of every operation: who calls, for which task, and how to stop. */
export interface ToolContext {
  /** Caller's user id (`'anonymous'` when none was given). */
  readonly userId: string;
  /** Caller's task id (`'none'` when none was given). */
  readonly taskId: string;
  /** Aborted on timeout or when the caller aborts; created on first read. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
  /** The operation being run. */
  readonly operation: string;
}

/** What a caller may pass as context to `run()` or to a direct call. */
export interface CallOptions {
  /** Caller's user id; part of the cache key. */
  readonly userId?: string;
  /** Caller's task id; part of the cache key. */
  readonly taskId?: string;
  /** Aborting it aborts the operation (never retried). */
  readonly signal?: AbortSignal;
  /** Absolute deadline (epoch ms) for the whole call, retries included. */
  readonly deadlineMs?: number;
}
