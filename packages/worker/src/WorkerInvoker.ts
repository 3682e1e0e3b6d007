import { ConfigurationError, ToolExecutionError, WorkerCrashedError, type OperationSite, type ToolContext } from '@aiecs/core';
import {
  abortSourceOf,
  inProcessInvoker,
  type AbortSource,
  type InvokedMethod,
  type Invoker,
  type InvokerStats,
  type InvokeSite,
} from '@aiecs/executor';
import { errorFromWire } from './errorWire';
import { locateTool } from './locateTool';
import {
  CANCELLED,
  callId,
  callState,
  QUEUED,
  reportsBefore,
  succeeded,
  withWholeRef,
  type CallTask,
  type ProgressMessage,
  type ToolRef,
  type WorkerReply,
} from './messages';
import { DEFAULT_POOL, resolvePools, type WorkerPoolOptions } from './poolOptions';
import { ThreadPool } from './ThreadPool';

/** A cooperative call's own queue signal, and the listener to remove when it settles. */
interface Cancellation {
  readonly signal: AbortSignal;
  dispose(): void;
}

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

/**
 * An {@link Invoker} that runs `@RunInExecutor` operation bodies on piscina pools of worker threads and
 * every other operation in-process: the default pool, and one pool per entry of `pools` for the operations
 * that name it (`@RunInExecutor({ pool: 'heavy' })`), each with threads of its own. A pool starts on its
 * first call; `close()` ends them all (the runtime calls it when it made the invoker through `workerPool()`).
 * Input and result cross by structured clone; errors cross by their JSON form and come back as the same
 * classes; a worker that dies fails only its calls, with `WorkerCrashedError`, and is replaced. Aborting an
 * attempt removes a queued call from the queue, and ends the worker of a running one (or, under a
 * cooperative timeout, aborts `ctx.signal` inside the worker and waits).
 *
 * @example
 * ```ts
 * await using invoker = new WorkerInvoker({ maxWorkers: 2, pools: { heavy: { maxWorkers: 1 } } });   // yours to close
 * const app = createApp({ tools: [HashTool], invoker });
 * ```
 */
export class WorkerInvoker implements Invoker, AsyncDisposable {
  /** Most worker threads of the default pool at once. */
  readonly maxWorkers: number;
  /** The pools by name, the default one first (each starts on its first task). */
  private readonly pools: ReadonlyMap<string, ThreadPool>;
  private readonly defaultPool: ThreadPool;
  /** How each tool instance's class is found and built in a worker (once per instance). */
  private readonly refs = new WeakMap<object, ToolRef>();
  /** Every tool seen, by key (its id is the same in every pool). */
  private readonly known = new Map<string, ToolRef>();
  private nextId = 0;
  /** The calls running now that take progress reports, by call id (unique across pools). */
  private readonly reporting = new Map<number, Reporting>();
  private closed = false;

  /** @throws ConfigurationError naming the option (`workerPool.pools.heavy.maxWorkers`) and the reason. */
  constructor(options: WorkerPoolOptions = {}) {
    const settings = resolvePools(options);
    const hooks = { onMessage: (message: unknown) => this.onProgress(message), logger: options.logger };
    this.pools = new Map([...settings].map(([name, pool]) => [name, new ThreadPool(pool, hooks)]));
    this.defaultPool = this.pools.get(DEFAULT_POOL)!;
    this.maxWorkers = this.defaultPool.settings.maxWorkers;
  }

  /** The names of the pools, `default` first. */
  get poolNames(): readonly string[] {
    return [...this.pools.keys()];
  }

  /** Worker threads alive now, in all pools (0 before the first off-thread call and after close). */
  get threads(): number {
    let threads = 0;
    for (const pool of this.pools.values()) threads += pool.threads;
    return threads;
  }

  /**
   * Checks, when an operation is planned, that its pool exists and that a worker can find and build its
   * tool (see `locateTool`); the pool's workers load the tool from then on.
   */
  prepare(site: InvokeSite): void {
    if (site.runInExecutor === undefined) return;
    const pool = this.poolOf(site);
    const ref = this.refOf(site);
    // The pool's flags are fixed when it starts: a TypeScript module it cannot load must be refused now.
    if (!pool.canLoad(ref.module)) {
      throw new ConfigurationError(
        `${site.tool}.${site.operation} @RunInExecutor.module`,
        ref.module,
        `a TypeScript module, and the worker pool${pool.name === DEFAULT_POOL ? '' : ` "${pool.name}"`} already started without a TypeScript loader: pass workerPool({ execArgv })`,
      );
    }
    pool.know(ref);
  }

  invoke(site: InvokeSite, method: InvokedMethod, input: unknown, context: ToolContext): Promise<unknown> {
    if (site.runInExecutor === undefined) return inProcessInvoker.invoke(site, method, input, context);
    if (this.closed) return Promise.reject(poolClosed(site));
    try {
      const pool = this.poolOf(site);
      const ref = this.refOf(site);
      pool.know(ref);
      const id = ++this.nextId;
      const task: CallTask = [
        id,
        ref.id,
        site.operation,
        input,
        context.userId,
        context.taskId,
        context.operation,
        context.attempt,
        context.toolCallId,
        site.timeoutStrategy === 'cooperative' ? new Int32Array(new SharedArrayBuffer(4)) : undefined,
      ];
      const aborts = abortSourceOf(context);
      if (typeof context.reportProgress !== 'function') return this.run(pool, site, task, aborts, ref);
      this.reporting.set(id, { context, received: 0 });
      return this.run(pool, site, task, aborts, ref).finally(() => this.reporting.delete(id));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Starts every worker of the given pools now (default: the default pool and each named pool a planned
   * operation uses) and resolves once each has loaded its pool's tools known so far (those whose operations
   * were planned: call each once first), so that no later call waits for a worker to start.
   * @throws ConfigurationError for a pool name the invoker does not define.
   */
  async warmUp(...pools: string[]): Promise<void> {
    if (this.closed) throw poolClosed({ tool: '*', operation: 'warmUp' });
    const chosen =
      pools.length === 0
        ? [...this.pools.values()].filter((pool) => pool === this.defaultPool || pool.tools.length > 0)
        : pools.map((name) => this.pools.get(name) ?? this.unknownPool('warmUp', name));
    await Promise.all(chosen.map((pool) => pool.warmUp()));
  }

  /**
   * The load of all pools together, read now (cheap: for gauges read at scrape time). `workers`, `queued`,
   * `running` and `completed` are sums over the pools; `maxWorkers` is the sum of every pool's
   * `maxWorkers`, started or not (the most threads the invoker may run at once); `utilization` is the
   * share of the started pools' thread time spent running tasks (their busy time over their capacity,
   * `maxWorkers` × age, so a large idle pool weighs more than a small busy one). All zero but `maxWorkers`
   * before any pool started. Per pool: {@link poolStats}.
   */
  stats(): InvokerStats {
    let workers = 0;
    let maxWorkers = 0;
    let queued = 0;
    let running = 0;
    let completed = 0;
    let busyMs = 0;
    let capacityMs = 0;
    for (const pool of this.pools.values()) {
      const stats = pool.stats();
      const capacity = pool.capacityMs();
      workers += stats.workers;
      maxWorkers += stats.maxWorkers;
      queued += stats.queued;
      running += stats.running;
      completed += stats.completed;
      busyMs += stats.utilization * capacity;
      capacityMs += capacity;
    }
    return { workers, maxWorkers, queued, running, completed, utilization: capacityMs === 0 ? 0 : busyMs / capacityMs };
  }

  /** Each pool's {@link stats}, by name (`default` first); a pool that has not started reports zeros but `maxWorkers`. */
  poolStats(): Readonly<Record<string, InvokerStats>> {
    // Own properties whatever the names (`__proto__` from a parsed configuration file included).
    return Object.fromEntries([...this.pools].map(([name, pool]) => [name, pool.stats()]));
  }

  /** Ends the workers of every pool (a call still running fails with a `ToolExecutionError`); idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
  }

  /** `await using invoker = new WorkerInvoker()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** The pool the operation names (`@RunInExecutor({ pool })`), else the default one. */
  private poolOf(site: InvokeSite): ThreadPool {
    const name = site.runInExecutor?.pool;
    if (name === undefined) return this.defaultPool;
    return this.pools.get(name) ?? this.unknownPool(`${site.tool}.${site.operation} @RunInExecutor.pool`, name);
  }

  private unknownPool(option: string, name: string): never {
    const defined = this.poolNames.map((pool) => `"${pool}"`).join(', ');
    throw new ConfigurationError(
      option,
      name,
      `no such pool; the worker invoker's pools are ${defined}, and workerPool's pools option defines more`,
    );
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
      }
      this.refs.set(site.target, ref);
    }
    return ref;
  }

  private run(pool: ThreadPool, site: InvokeSite, task: CallTask, attemptSignal: AbortSource, ref: ToolRef): Promise<unknown> {
    const state = callState(task);
    const cancellation = state === undefined ? undefined : this.cooperative(pool, callId(task), state, attemptSignal);
    const signal = cancellation?.signal ?? attemptSignal;
    const failed = (error: unknown): never => {
      cancellation?.dispose();
      throw this.failure(site, error, attemptSignal, signal);
    };
    const settle = (reply: WorkerReply): unknown => {
      cancellation?.dispose();
      if (succeeded(reply)) return reply[0];
      if ('error' in reply) throw errorFromWire(reply.error);
      if ('uncloneable' in reply) throw resultNotCloneable(site, reply.uncloneable);
      throw attemptSignal.reason;
    };
    const answer = (reply: WorkerReply): unknown => {
      const reported = this.afterReports(callId(task), reply);
      return reported === reply ? settle(reply) : (reported as Promise<WorkerReply>).then(settle);
    };
    // One reaction per call on the common path (each `.then` layer measured ~0.2 µs with its promise).
    const first = (reply: WorkerReply): unknown =>
      // A worker started before the tool was seen: once more, with the whole ref.
      !succeeded(reply) && 'unknownTool' in reply ? pool.run(withWholeRef(task, ref), signal).then(answer, failed) : answer(reply);
    let running: Promise<WorkerReply>;
    try {
      running = pool.run(task, signal);
    } catch (error) {
      running = Promise.reject(error);
    }
    return running.then(first, failed);
  }

  /**
   * Under a cooperative timeout the pipeline waits for the body: an abort removes the call if it is
   * still queued, else only aborts `ctx.signal` in the worker. (If piscina handed the call to a worker in
   * the microseconds before the worker marks it running, removing it ends that worker: correct, if costly.)
   */
  private cooperative(pool: ThreadPool, id: number, state: Int32Array, attemptSignal: AbortSource): Cancellation {
    const queue = new AbortController();
    const onAbort = (): void => {
      if (Atomics.compareExchange(state, 0, QUEUED, CANCELLED) === QUEUED) queue.abort(attemptSignal.reason);
      else pool.broadcastAbort(id, attemptSignal.reason);
    };
    attemptSignal.addEventListener('abort', onAbort, { once: true });
    return { signal: queue.signal, dispose: () => attemptSignal.removeEventListener('abort', onAbort) };
  }

  /** What a rejected task means for the caller. */
  private failure(site: OperationSite, error: unknown, attemptSignal: AbortSource, poolSignal: AbortSource): unknown {
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
    const expected = reportsBefore(reply);
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
