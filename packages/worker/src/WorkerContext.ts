import type { ToolContext } from '@aiecs/core';
import type { ContextFields } from './messages';

const signalProto = AbortSignal.prototype;
const abortedGetter = Object.getOwnPropertyDescriptor(signalProto, 'aborted')!.get!;
const reasonGetter = Object.getOwnPropertyDescriptor(signalProto, 'reason')!.get!;

/**
 * The `ToolContext` a method body sees inside the worker: the attempt's user, task, operation and
 * number, the model's tool call id (when the caller gave one), and a signal aborted when the main thread aborts the attempt (its timeout, the call's deadline,
 * the caller). The signal is made on first read, like the main thread's.
 *
 * A synchronous loop never yields to the worker's event loop, so the abort message would wait for it:
 * reading `signal.aborted` / `signal.reason` or calling `signal.throwIfAborted()` first polls for abort
 * messages (`poll`, a shared-memory counter check when there is none), so a CPU-bound body that checks
 * its signal stops promptly.
 */
export class WorkerContext implements ToolContext {
  readonly userId: string;
  readonly taskId: string;
  readonly operation: string;
  readonly attempt: number;
  readonly toolCallId?: string;
  private controller: AbortController | undefined = undefined;
  private abortReason: unknown = undefined;
  private aborted = false;

  constructor(
    fields: ContextFields,
    private readonly poll: () => void,
    private readonly progress: (progress: number, total?: number, message?: string) => void,
  ) {
    this.userId = fields.userId;
    this.taskId = fields.taskId;
    this.operation = fields.operation;
    this.attempt = fields.attempt;
    if (fields.toolCallId !== undefined) this.toolCallId = fields.toolCallId;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.abortReason);
      pollingSignal(this.controller.signal, this.poll);
    }
    return this.controller.signal;
  }

  /** Sends a progress report to the main thread, where the call's own context passes it on (a report after the call ended is dropped). */
  reportProgress(progress: number, total?: number, message?: string): void {
    this.progress(progress, total, message);
  }

  /** Aborts the signal (now, or when it is first read). */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }
}

/** Makes `signal`'s synchronous reads poll for abort messages first (own properties shadow the prototype's). */
function pollingSignal(signal: AbortSignal, poll: () => void): void {
  Object.defineProperties(signal, {
    aborted: {
      get(this: AbortSignal): boolean {
        poll();
        return abortedGetter.call(this) as boolean;
      },
    },
    reason: {
      get(this: AbortSignal): unknown {
        poll();
        return reasonGetter.call(this);
      },
    },
    throwIfAborted: {
      value(this: AbortSignal): void {
        poll();
        signalProto.throwIfAborted.call(this);
      },
    },
  });
}
