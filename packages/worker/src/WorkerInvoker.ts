import { ConfigurationError, ToolExecutionError, WorkerCrashedError, checkNumber, type OperationSite, type ToolContext } from '@aiecs/core';
import { inProcessInvoker, type InvokedMethod, type Invoker, type InvokeSite, type Logger } from '@aiecs/executor';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { errorFromWire, errorToWire } from './errorWire';
import { isTypeScript, parentHasLoader, workerExecArgv } from './loaderArgs';
import { locateTool } from './locateTool';
import {
  CANCELLED,
  QUEUED,
  type AbortMessage,
  type CallTask,
  type PoolWorkerData,
  type ProgressMessage,
  type ToolRef,
  type WorkerReply,
} from './messages';

/** The pool's handler: `workerEntry.ts` from sources (tests, ts-node), `workerEntry.js` once compiled. */
const WORKER_ENTRY = join(__dirname, `workerEntry${extname(__filename)}`);

/** Options of {@link WorkerInvoker} (and of `workerPool()`). */
export interface WorkerPoolOptions {
  /** Most worker threads at once (default: the runtime's `maxWorkers`, else `os.availableParallelism()`). */
  readonly maxWorkers?: number;
  /** An idle worker ends after this long (default 30 000 ms); the next call starts one again. */
  readonly idleTimeoutMs?: number;
  /** Per-worker memory limits; a worker that exceeds them fails its calls with `WorkerCrashedError`. */
  readonly resourceLimits?: {
    readonly maxOldGenerationSizeMb?: number;
    readonly maxYoungGenerationSizeMb?: number;
    readonly stackSizeMb?: number;
  };
  /** Node flags of the workers (default: the parent's, plus a TypeScript loader when a module to load is `.ts`; see README). */
  readonly execArgv?: readonly string[];
  /** Where pool problems nobody awaits are logged (an error thrown by a worker between calls). */
  readonly logger?: Pick<Logger, 'warn'>;
}

/** A cooperative call's own queue signal, and the listener to remove when it settles. */
interface Cancellation {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** What the balancer reads of a piscina worker. */
interface PoolWorker {
  readonly id: number;
  readonly currentUsage: number;
  readonly terminating: boolean;
  readonly destroyed: boolean;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** Longest a reply waits for the progress reports sent before it. */
const REPORTS_GRACE_MS = 1_000;

/** A running call that takes progress reports: its context, and how many reports have been passed on. */
interface Reporting {
  readonly context: ToolContext;
  received: number;
  /** Set when the reply came first: how many reports it announced, and what to call once they are in. */
  expected?: number;
  done?: () => void;
}
let poolNumber = 0;

/**
 * An {@link Invoker} that runs `@RunInExecutor` operation bodies on a piscina pool of worker threads and
 * every other operation in-process. The pool starts on the first off-thread call and ends with `close()`
 * (the runtime calls it when it made the invoker through `workerPool()`). Input and result cross by
 * structured clone; errors cross by their JSON form and come back as the same classes; a worker that dies
 * fails only its calls, with `WorkerCrashedError`, and is replaced. Aborting an attempt removes a queued
 * call from the queue, and ends the worker of a running one (or, under a cooperative timeout, aborts
 * `ctx.signal` inside the worker and waits).
 *
 * @example
 * ```ts
 * await using invoker = new WorkerInvoker({ maxWorkers: 2 });   // yours to close
 * const app = createApp({ tools: [HashTool], invoker });
 * ```
 */
export class WorkerInvoker implements Invoker, AsyncDisposable {
  /** Most worker threads at once. */
  readonly maxWorkers: number;
  private readonly idleTimeoutMs: number;
  private readonly options: WorkerPoolOptions;
  private pool: Piscina | undefined;
  private channel: BroadcastChannel | undefined;
  private readonly abortsPosted = new Int32Array(new SharedArrayBuffer(4));
  private readonly channelName = `aiecs-worker-aborts:${process.pid}:${++poolNumber}:${Math.random().toString(36).slice(2)}`;
  /** How each tool instance's class is found and built in a worker (once per instance). */
  private readonly refs = new WeakMap<object, ToolRef>();
  /** Every tool seen, by key; the workers load them all before they take a call. */
  private readonly known = new Map<string, ToolRef>();
  /** The pool's `workerData` (piscina gives every worker it starts this same object, cloned then). */
  private readonly workerData: PoolWorkerData = { abortChannel: this.channelName, abortsPosted: this.abortsPosted, preload: [] };
  private nextId = 0;
  /** The calls running now that take progress reports, by call id. */
  private readonly reporting = new Map<number, Reporting>();
  private closed = false;
  /** Whether the started pool's workers can load TypeScript. */
  private loadsTypeScript = false;
  /** Thread ids of the workers that finished starting (their tools loaded). */
  private readonly readyWorkers = new Set<number>();

  constructor(options: WorkerPoolOptions = {}) {
    if (options === null || typeof options !== 'object')
      throw new ConfigurationError('workerPool', options, 'expected { maxWorkers?, idleTimeoutMs?, resourceLimits?, execArgv? }');
    this.options = options;
    this.maxWorkers = checkNumber('workerPool.maxWorkers', options.maxWorkers ?? availableParallelism(), { min: 1, integer: true });
    this.idleTimeoutMs = checkNumber('workerPool.idleTimeoutMs', options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, { min: 0 });
    if (options.execArgv !== undefined && (!Array.isArray(options.execArgv) || options.execArgv.some((arg) => typeof arg !== 'string'))) {
      throw new ConfigurationError('workerPool.execArgv', options.execArgv, 'expected an array of strings');
    }
  }

  /** Worker threads alive now (0 before the first off-thread call and after close). */
  get threads(): number {
    return this.pool?.threads.length ?? 0;
  }

  /** Checks, when an operation is planned, that a worker can find and build its tool (see `locateTool`). */
  prepare(site: InvokeSite): void {
    if (site.runInExecutor === undefined) return;
    const ref = this.refOf(site);
    // The pool's flags are fixed when it starts: a TypeScript module it cannot load must be refused now.
    if (this.pool !== undefined && isTypeScript(ref.module) && !this.loadsTypeScript) {
      throw new ConfigurationError(
        `${site.tool}.${site.operation} @RunInExecutor.module`,
        ref.module,
        'a TypeScript module, and the worker pool already started without a TypeScript loader: pass workerPool({ execArgv })',
      );
    }
  }

  invoke(site: InvokeSite, method: InvokedMethod, input: unknown, context: ToolContext): Promise<unknown> {
    if (site.runInExecutor === undefined) return inProcessInvoker.invoke(site, method, input, context);
    if (this.closed) return Promise.reject(poolClosed(site));
    try {
      const ref = this.refOf(site);
      const task: CallTask = {
        kind: 'call',
        id: ++this.nextId,
        tool: ref.id,
        operation: site.operation,
        input,
        context: { userId: context.userId, taskId: context.taskId, operation: context.operation, attempt: context.attempt },
        state: site.timeoutStrategy === 'cooperative' ? new Int32Array(new SharedArrayBuffer(4)) : undefined,
      };
      if (typeof context.reportProgress !== 'function') return this.run(site, task, context.signal, ref);
      this.reporting.set(task.id, { context, received: 0 });
      return this.run(site, task, context.signal, ref).finally(() => this.reporting.delete(task.id));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Starts all `maxWorkers` workers now and resolves once each has loaded the tools known so far (those
   * whose operations were planned: call each once first), so that no later call waits for a worker to start.
   */
  async warmUp(): Promise<void> {
    if (this.closed) throw poolClosed({ tool: '*', operation: 'warmUp' });
    const pool = this.started();
    const barrier = { arrived: new Int32Array(new SharedArrayBuffer(4)), parties: this.maxWorkers };
    const tools = [...this.known.values()];
    await Promise.all(Array.from({ length: this.maxWorkers }, () => pool.run({ kind: 'warm', tools, barrier })));
  }

  /** Ends the workers (a call still running fails with a `ToolExecutionError`); idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    this.channel?.close();
    await pool?.destroy();
  }

  /** `await using invoker = new WorkerInvoker()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private refOf(site: InvokeSite): ToolRef {
    let ref = this.refs.get(site.target);
    if (ref === undefined) {
      const located = locateTool(`${site.tool}.${site.operation}`, site.target, site.runInExecutor ?? {});
      // Instances with the same module, class and configuration share one id (and one instance per worker).
      ref = this.known.get(located.key);
      if (ref === undefined) {
        ref = { ...located, id: this.known.size + 1 };
        this.known.set(ref.key, ref);
        this.workerData.preload.push(ref);
      }
      this.refs.set(site.target, ref);
    }
    return ref;
  }

  private run(site: InvokeSite, task: CallTask, attemptSignal: AbortSignal, ref: ToolRef): Promise<unknown> {
    const pool = this.started();
    const cancellation = task.state === undefined ? undefined : this.cooperative(task, attemptSignal);
    const signal = cancellation?.signal ?? attemptSignal;
    const queued = (pool.run(task, { signal }) as Promise<WorkerReply>)
      // A worker started before the tool was seen: once more, with the whole ref.
      .then((reply) =>
        !reply.ok && 'unknownTool' in reply ? (pool.run({ ...task, tool: ref }, { signal }) as Promise<WorkerReply>) : reply,
      )
      .then((reply) => this.afterReports(task.id, reply));
    return queued.then(
      (reply) => {
        cancellation?.dispose();
        if (reply.ok) return reply.value;
        if ('error' in reply) throw errorFromWire(reply.error);
        if ('uncloneable' in reply) throw resultNotCloneable(site, reply.uncloneable);
        throw attemptSignal.reason;
      },
      (error: unknown) => {
        cancellation?.dispose();
        throw this.failure(site, error, attemptSignal, cancellation?.signal ?? attemptSignal);
      },
    );
  }

  /**
   * Under a cooperative timeout the pipeline waits for the body: an abort removes the call if it is
   * still queued, else only aborts `ctx.signal` in the worker. (If piscina handed the call to a worker in
   * the microseconds before the worker marks it running, removing it ends that worker: correct, if costly.)
   */
  private cooperative(task: CallTask, attemptSignal: AbortSignal): Cancellation {
    const queue = new AbortController();
    const onAbort = (): void => {
      if (Atomics.compareExchange(task.state!, 0, QUEUED, CANCELLED) === QUEUED) queue.abort(attemptSignal.reason);
      else this.broadcastAbort(task.id, attemptSignal.reason);
    };
    attemptSignal.addEventListener('abort', onAbort, { once: true });
    return { signal: queue.signal, dispose: () => attemptSignal.removeEventListener('abort', onAbort) };
  }

  private broadcastAbort(id: number, reason: unknown): void {
    if (this.channel === undefined) return;
    const message: AbortMessage = { id, reason: errorToWire(reason) };
    this.channel.postMessage(message);
    // After the post: a worker that sees the count change finds the message waiting.
    Atomics.add(this.abortsPosted, 0, 1);
  }

  /** What a rejected task means for the caller. */
  private failure(site: OperationSite, error: unknown, attemptSignal: AbortSignal, poolSignal: AbortSignal): unknown {
    // Aborted by the pipeline (timeout, deadline, caller): the reason it aborted with.
    if (poolSignal.aborted) return attemptSignal.reason;
    if (this.closed) return poolClosed(site, error);
    if ((error as { name?: unknown } | null)?.name === 'DataCloneError') {
      return new ToolExecutionError(site, `its input cannot cross to the worker thread: ${(error as Error).message}`, {
        cause: error,
        code: 'INPUT_NOT_CLONEABLE',
        kind: 'caller',
      });
    }
    // piscina starts a replacement when a call finds no idle worker (on a busy host, starting one at once
    // slowed the calls on the surviving workers more than it helped).
    return new WorkerCrashedError(site, { cause: error });
  }

  /** The pool, started on first use (its flags decided by the modules known by then). */
  private started(): Piscina {
    if (this.pool !== undefined) return this.pool;
    const channel = new BroadcastChannel(this.channelName);
    (channel as unknown as { unref(): void }).unref();
    this.channel = channel;
    const execArgv = this.options.execArgv ?? workerExecArgv([WORKER_ENTRY, ...[...this.known.values()].map((ref) => ref.module)]);
    this.loadsTypeScript = execArgv !== undefined || parentHasLoader();
    const pool = new Piscina({
      filename: WORKER_ENTRY,
      maxThreads: this.maxWorkers,
      minThreads: 0,
      idleTimeout: this.idleTimeoutMs,
      resourceLimits: this.options.resourceLimits,
      ...(execArgv === undefined ? {} : { execArgv: [...execArgv] }),
      workerData: this.workerData,
      loadBalancer: this.readyIdleWorker,
    });
    pool.on('message', (message: unknown) => this.onProgress(message));
    pool.on('workerCreate', (worker: { id: number }) => this.readyWorkers.add(worker.id));
    pool.on('workerDestroy', (worker: { id: number }) => this.readyWorkers.delete(worker.id));
    // A worker that throws between calls has no call to fail: say so instead of crashing the process.
    pool.on('error', (error: unknown) =>
      this.options.logger?.warn(
        `worker pool: a worker failed outside any call (${String((error as Error)?.message ?? error)}); it was replaced`,
      ),
    );
    this.pool = pool;
    return pool;
  }

  /** A worker's `ctx.reportProgress(…)`: passed on to the call's own context (its caller's `onProgress`). */
  private onProgress(message: unknown): void {
    const id = (message as Partial<ProgressMessage> | null)?.aiecsProgress;
    const reporting = typeof id === 'number' ? this.reporting.get(id) : undefined;
    if (reporting === undefined) return;
    const { progress, total, message: text } = message as ProgressMessage;
    reporting.context.reportProgress?.(progress, total, text);
    reporting.received++;
    if (reporting.received >= (reporting.expected ?? Infinity)) reporting.done?.();
  }

  /**
   * The reply, once the call's progress reports have all been passed on: they travel on another port than
   * the reply, so the last ones can arrive after it (waited for at most `REPORTS_GRACE_MS`).
   */
  private afterReports(id: number, reply: WorkerReply): WorkerReply | Promise<WorkerReply> {
    const reporting = this.reporting.get(id);
    const expected = 'reports' in reply ? (reply.reports ?? 0) : 0;
    if (reporting === undefined || reporting.received >= expected) return reply;
    return new Promise((resolve) => {
      const timer = setTimeout(finish, REPORTS_GRACE_MS);
      function finish(): void {
        clearTimeout(timer);
        resolve(reply);
      }
      reporting.expected = expected;
      reporting.done = finish;
    });
  }

  /**
   * piscina's balancer, restricted to idle workers that have started: its own may hand a queued call to a
   * worker still starting (seconds when it loads TypeScript), although another one is idle by then.
   */
  private readonly readyIdleWorker = <W extends PoolWorker>(_task: unknown, workers: readonly W[]): W | null =>
    workers.find((worker) => worker.currentUsage === 0 && this.readyWorkers.has(worker.id) && !worker.terminating && !worker.destroyed) ??
    null;
}

function poolClosed(site: OperationSite, cause?: unknown): ToolExecutionError {
  return new ToolExecutionError(site, 'the worker pool is closed', {
    ...(cause === undefined ? {} : { cause }),
    code: 'WORKER_POOL_CLOSED',
    kind: 'caller',
  });
}

function resultNotCloneable(site: OperationSite, problem: string): ToolExecutionError {
  return new ToolExecutionError(
    site,
    `its result cannot cross from the worker thread intact: ${problem}. Return plain data (objects, arrays, Map, Set, Date, typed arrays)`,
    { code: 'RESULT_NOT_CLONEABLE', kind: 'internal' },
  );
}
