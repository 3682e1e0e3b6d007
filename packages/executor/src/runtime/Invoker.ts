import type { RunInExecutorOptions, TimeoutOptions, ToolContext } from '@aiecs/core';
import type { Logger } from '../logging/Logger';
import { settle } from '../pipeline/Handler';

/** Where a method body runs: the tool instance, names, and how the operation asked to run. */
export interface InvokeSite {
  readonly tool: string;
  readonly operation: string;
  /** The tool instance whose method runs (`this`). */
  readonly target: object;
  /** `@RunInExecutor` options, when the operation has them. */
  readonly runInExecutor?: RunInExecutorOptions;
  /**
   * What the operation's attempt timeout does with a body that outlives its signal: `'aggressive'` (the
   * default, also without a timeout) releases the caller at once, so an invoker may stop the body (end
   * its worker); `'cooperative'` waits for the body, so it must only be signalled.
   */
  readonly timeoutStrategy?: NonNullable<TimeoutOptions['strategy']>;
}

/** A method body as the pipeline hands it to an invoker. */
export type InvokedMethod = (this: object, input: unknown, context: ToolContext) => unknown;

/**
 * Calls a method body: the pipeline's last step. The whole pipeline (validation, cache, policies,
 * events) stays where it is; only the body goes through the invoker. The default runs it in-process;
 * a worker pool (`@aiecs/worker`) is another invoker. An invoker the runtime was given is never closed
 * by it; one it made with an {@link InvokerFactory} is.
 */
export interface Invoker {
  /** Runs `method` with `input` and the attempt's `context`; never throws synchronously. */
  invoke(site: InvokeSite, method: InvokedMethod, input: unknown, context: ToolContext): Promise<unknown>;
  /**
   * Called once per tool instance and operation when its pipeline is built (on the operation's first
   * call), before any call reaches `invoke`: throw a `ConfigurationError` to refuse an operation the
   * invoker cannot run (say, a worker pool that cannot find the tool's module).
   */
  prepare?(site: InvokeSite): void;
  /** Releases the invoker's resources (a pool's workers). */
  close?(): void | Promise<void>;
  /** What the invoker runs now (a pool's threads, queue and load), for gauges; read at scrape time, so cheap. */
  stats?(): InvokerStats;
}

/** A snapshot of an invoker's work, for metrics (`@aiecs/prometheus`'s worker-pool gauges read it). */
export interface InvokerStats {
  /** Threads alive now (0 before the pool's first task: pools start lazily). */
  readonly workers: number;
  /** The most threads the pool may run. */
  readonly maxWorkers: number;
  /** Tasks waiting for a thread. */
  readonly queued: number;
  /** Tasks running now. */
  readonly running: number;
  /** Tasks completed since the pool started. */
  readonly completed: number;
  /** Share of the pool's thread time spent running tasks, 0–1 (since it started). */
  readonly utilization: number;
}

/** What an {@link InvokerFactory} gets from the runtime that calls it. */
export interface InvokerHost {
  /** The runtime's resolved `maxWorkers` (explicit > `TOOL_EXECUTOR_MAX_WORKERS` > available parallelism). */
  readonly config: { readonly maxWorkers: number };
  readonly logger: Logger;
}

/**
 * Makes the runtime's invoker: called by the runtime on first use (an operation's first call), and the
 * invoker it returns is the runtime's to close (`close()` / `await using`). `@aiecs/worker`'s
 * `workerPool()` is one: `createApp({ tools, invoker: workerPool() })` gives the app one pool.
 */
export type InvokerFactory = (host: InvokerHost) => Invoker;

/** Runs the method on the calling thread. */
export const inProcessInvoker: Invoker = Object.freeze({
  invoke(site: InvokeSite, method: InvokedMethod, input: unknown, context: ToolContext): Promise<unknown> {
    return settle(() => method.call(site.target, input, context));
  },
});

/**
 * The runtime's default: in-process, and it says so, once per tool and operation, for an operation that
 * asked for a worker (`@RunInExecutor`) when no worker invoker is configured.
 */
export function defaultInvoker(logger: Logger): Invoker {
  return Object.freeze({
    invoke: inProcessInvoker.invoke,
    prepare(site: InvokeSite): void {
      if (site.runInExecutor === undefined) return;
      logger.warn(
        `${site.tool}.${site.operation} is @RunInExecutor but runs on the calling thread: no worker invoker is configured ` +
          "(createApp({ invoker: workerPool() }) with workerPool from '@aiecs/worker')",
      );
    },
  });
}
