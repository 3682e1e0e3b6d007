import type { RunInExecutorOptions, ToolContext } from '@aiecs/core';
import { settle } from '../pipeline/Handler';

/** Where a method body runs: the tool instance, names, and how the operation asked to run. */
export interface InvokeSite {
  readonly tool: string;
  readonly operation: string;
  /** The tool instance whose method runs (`this`). */
  readonly target: object;
  /** `@RunInExecutor` options, when the operation has them. */
  readonly runInExecutor?: RunInExecutorOptions;
}

/**
 * Calls a method body: the pipeline's last step. The whole pipeline (validation, cache, policies,
 * events) stays where it is; only the body goes through the invoker. The default runs it in-process;
 * a worker pool is another invoker. An invoker the runtime was given is never closed by it.
 */
export interface Invoker {
  /** Runs `method` with `input` and the attempt's `context`; never throws synchronously. */
  invoke(site: InvokeSite, method: (this: object, input: unknown, context: ToolContext) => unknown, input: unknown, context: ToolContext): Promise<unknown>;
  /** Releases the invoker's resources (a pool's workers). */
  close?(): void | Promise<void>;
}

/** Runs the method on the calling thread. */
export const inProcessInvoker: Invoker = Object.freeze({
  invoke(site: InvokeSite, method: (this: object, input: unknown, context: ToolContext) => unknown, input: unknown, context: ToolContext): Promise<unknown> {
    return settle(() => method.call(site.target, input, context));
  },
});
