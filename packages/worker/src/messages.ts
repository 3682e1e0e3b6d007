import type { AiecsErrorJSON, ErrorCauseJSON } from '@aiecs/core';

/** How a worker finds and builds the tool: its module, its class, and the configuration it is constructed with. */
export interface ToolRef {
  /** Absolute path of the module that exports the class. */
  readonly module: string;
  /** The class's `name` (looked up among the module's exports when `exportName` is unknown). */
  readonly className: string;
  /** The export that holds the class, when the main thread could see the module's exports. */
  readonly exportName?: string;
  /** The tool's configuration, its cloneable part (see `cloneablePart`). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Identifies module + class + configuration: one instance per key in each worker. */
  readonly key: string;
  /** Per pool, one per key: what a call sends once the worker knows the tool (see `CallTask.tool`). */
  readonly id: number;
}

/** The context fields that cross (the signal is rebuilt in the worker). */
export interface ContextFields {
  readonly userId: string;
  readonly taskId: string;
  readonly operation: string;
  readonly attempt: number;
  /** The model's id for the tool call, when the caller gave one (`CallOptions.toolCallId`). */
  readonly toolCallId?: string;
}

/** `state` of a cooperative call: the worker moves it from QUEUED to RUNNING; the main thread from QUEUED to CANCELLED. */
export const QUEUED = 0;
export const RUNNING = 1;
export const CANCELLED = 2;

/**
 * Run one operation body. A tuple, not an object: structured clone writes each property's name and
 * reads it back, and a dense array has none. Measured on the 2-core VM (bench, pinned round trip of a
 * trivial body): the object form, with its nested context and `{ ok, value }` reply, 17.4–17.9 µs a
 * call; the tuples 16.6–16.8 µs; a bare piscina `run({ n })` 14.5–15.4 µs.
 */
export type CallTask = readonly [
  /** Per pool; abort messages and progress reports name it. */
  id: number,
  /** The tool's id when the worker should know it (it started with it in `preload`), else the whole ref. */
  tool: number | ToolRef,
  operation: string,
  input: unknown,
  userId: string,
  taskId: string,
  /** The context's `operation` (`tool.operation`). */
  qualifiedOperation: string,
  attempt: number,
  toolCallId: string | undefined,
  /** Cooperative calls only: one Int32 on shared memory (QUEUED, RUNNING, CANCELLED). */
  state: Int32Array | undefined,
];

/** The task's call id. */
export function callId(task: CallTask): number {
  return task[0];
}

/** The task's cooperative state, if it has one. */
export function callState(task: CallTask): Int32Array | undefined {
  return task[9];
}

/** The same task with the whole ref (for a worker that does not know the tool's id). */
export function withWholeRef(task: CallTask, ref: ToolRef): CallTask {
  const copy = [...task] as [...CallTask];
  copy[1] = ref;
  return copy;
}

/** The context fields of a task, as the worker's context reads them. */
export function contextFields(task: CallTask): ContextFields {
  const [, , , , userId, taskId, operation, attempt, toolCallId] = task;
  return toolCallId === undefined ? { userId, taskId, operation, attempt } : { userId, taskId, operation, attempt, toolCallId };
}

/** Load these tools' modules and build their instances (a replacement worker, before it is needed). */
export interface WarmTask {
  readonly warm: true;
  readonly tools: readonly ToolRef[];
  /**
   * `warmUp()`: one Int32 on shared memory counting the warm tasks that have started, and how many there
   * are. Each waits (blocking its worker) until all have started, so piscina must start one worker per task.
   */
  readonly barrier?: { readonly arrived: Int32Array; readonly parties: number };
}

/** What the pool's handler receives. */
export type WorkerTask = CallTask | WarmTask;

/** An error as it crosses: an AiecsError's JSON, any other error's JSON, or a thrown non-object as is. */
export type WireError = { readonly aiecs: AiecsErrorJSON } | { readonly plain: ErrorCauseJSON } | { readonly thrown: unknown };

/**
 * A success: the value, and how many progress reports the body sent (the main thread passes them all on
 * before the result). A tuple for the reason `CallTask` is one; a failure is an object, so `Array.isArray`
 * tells them apart.
 */
export type SuccessReply = readonly [value: unknown, reports: number];

/** Why a call did not succeed. */
export type FailureReply =
  | { readonly error: WireError; readonly reports: number }
  /** The body's result cannot cross intact: where, and what it is. */
  | { readonly uncloneable: string }
  /** The call was cancelled before it started (the main thread no longer waits for it). */
  | { readonly cancelled: true }
  /** The worker does not know the tool id (it started before the tool was seen): send the whole ref. */
  | { readonly unknownTool: true };

/** What the handler answers. It never throws: a rejected task means the worker itself failed. */
export type WorkerReply = SuccessReply | FailureReply;

/** Whether the call succeeded. */
export function succeeded(reply: WorkerReply): reply is SuccessReply {
  return Array.isArray(reply);
}

/** How many progress reports the body sent before the reply. */
export function reportsBefore(reply: WorkerReply): number {
  return succeeded(reply) ? reply[1] : 'reports' in reply ? reply.reports : 0;
}

/** Worker → main thread, through piscina's `message` event: a `ctx.reportProgress(…)` of call `id`. */
export interface ProgressMessage {
  readonly aiecsProgress: number;
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

/** Main thread → workers, on the pool's broadcast channel: abort call `id`'s signal with `reason`. */
export interface AbortMessage {
  readonly id: number;
  readonly reason: WireError;
}

/** What the pool gives each worker (`workerData`). */
export interface PoolWorkerData {
  /** Name of the pool's BroadcastChannel for abort messages. */
  readonly abortChannel: string;
  /** One Int32 on shared memory, incremented per abort message: a cheap check before a synchronous poll. */
  readonly abortsPosted: Int32Array;
  /**
   * The tools known when the worker starts: it loads and builds them before it reports ready, so piscina
   * never hands a call to a worker still loading modules. (piscina passes the same `workerData` object to
   * every worker it starts, cloned then, so tools added later reach later workers.)
   */
  readonly preload: ToolRef[];
}
