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

/** Run one operation body. */
export interface CallTask {
  readonly kind: 'call';
  /** Per pool; abort messages name it. */
  readonly id: number;
  /** The tool's id when the worker should know it (it started with it in `preload`), else the whole ref. */
  readonly tool: number | ToolRef;
  readonly operation: string;
  readonly input: unknown;
  readonly context: ContextFields;
  /** Cooperative calls only: one Int32 on shared memory (QUEUED, RUNNING, CANCELLED). */
  readonly state?: Int32Array;
}

/** Load these tools' modules and build their instances (a replacement worker, before it is needed). */
export interface WarmTask {
  readonly kind: 'warm';
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

/** What the handler answers. It never throws: a rejected task means the worker itself failed. */
export type WorkerReply =
  /** `reports`: progress reports the body sent (the main thread passes them all on before the result). */
  | { readonly ok: true; readonly value: unknown; readonly reports?: number }
  | { readonly ok: false; readonly error: WireError; readonly reports?: number }
  /** The body's result cannot cross intact: where, and what it is. */
  | { readonly ok: false; readonly uncloneable: string }
  /** The call was cancelled before it started (the main thread no longer waits for it). */
  | { readonly ok: false; readonly cancelled: true }
  /** The worker does not know the tool id (it started before the tool was seen): send the whole ref. */
  | { readonly ok: false; readonly unknownTool: true };

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
