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
  /** The model's id for this tool call, when the caller gave one (`CallOptions.toolCallId`). */
  readonly toolCallId?: string;
  /**
   * Reports how far the operation has got: `progress` (increasing), optionally out of `total`, with a
   * message. Sent on to whoever asked for progress (an MCP client that sent a `progressToken`, a
   * caller's `onProgress`); a no-op when nobody did. Optional so hand-made contexts need not implement
   * it: call it as `ctx.reportProgress?.(done, total)`.
   */
  reportProgress?(progress: number, total?: number, message?: string): void;
}

/** One progress report of an operation (`ctx.reportProgress(progress, total, message)`). */
export interface ProgressReport {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
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
  /**
   * The model's id for this tool call (OpenAI's `tool_call.id`, Anthropic's `tool_use` id, the AI SDK's
   * `toolCallId`, an MCP request id): carried by every event of the call and by its span
   * (`gen_ai.tool.call.id`), and seen by the method as `ctx.toolCallId`. Never part of the cache key.
   */
  readonly toolCallId?: string;
  /** Receives the operation's `ctx.reportProgress(…)` reports (an MCP server sends them on); a listener that throws is ignored. */
  readonly onProgress?: (report: ProgressReport) => void;
}

function outsideThePipeline(): never {
  throw new TypeError(
    'This ToolContext is the placeholder PIPELINE_CONTEXT: the method was called outside the pipeline. ' +
      'Call it through run(), app.run() or a decorated method, or pass a context yourself.',
  );
}

/**
 * Default value of an operation's context parameter: `async read(input: ReadInput, ctx = PIPELINE_CONTEXT)`.
 *
 * A decorator cannot change a method's type, so `ctx: ToolContext` would make every direct call
 * `tool.read(input)` a type error. The default makes the parameter optional for callers; the pipeline
 * always passes the real context, so the default is never used on a call through the pipeline. Reading
 * any of its fields (only possible when the method is called outside the pipeline) throws a `TypeError`
 * that says so.
 */
export const PIPELINE_CONTEXT: ToolContext = Object.freeze({
  get userId(): string {
    return outsideThePipeline();
  },
  get taskId(): string {
    return outsideThePipeline();
  },
  get signal(): AbortSignal {
    return outsideThePipeline();
  },
  get attempt(): number {
    return outsideThePipeline();
  },
  get operation(): string {
    return outsideThePipeline();
  },
  reportProgress(): void {
    outsideThePipeline();
  },
});
