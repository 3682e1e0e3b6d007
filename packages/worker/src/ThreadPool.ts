import type { AbortSource, InvokerStats, Logger } from '@aiecs/executor';
import { extname, join } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { errorToWire } from './errorWire';
import { isTypeScript, parentHasLoader, workerExecArgv } from './loaderArgs';
import type { AbortMessage, PoolWorkerData, ToolRef, WorkerReply, WorkerTask } from './messages';
import { DEFAULT_POOL, type PoolSettings } from './poolOptions';

/** The pool's handler: `workerEntry.ts` from sources (tests, ts-node), `workerEntry.js` once compiled. */
const WORKER_ENTRY = join(__dirname, `workerEntry${extname(__filename)}`);

/** What the balancer reads of a piscina worker. */
interface PoolWorker {
  readonly id: number;
  readonly currentUsage: number;
  readonly terminating: boolean;
  readonly destroyed: boolean;
}

/** What a pool tells its invoker. */
export interface PoolHooks {
  /** A message a worker posted (a progress report). */
  onMessage(message: unknown): void;
  readonly logger?: Pick<Logger, 'warn'>;
}

let channelNumber = 0;

/**
 * One piscina pool of the invoker (the default one or a named one): its threads, its abort channel and
 * the tools its workers load before they take a call. The piscina instance starts on the first task (its
 * flags decided by the modules known by then) and ends with `close()`.
 */
export class ThreadPool {
  private piscina: Piscina | undefined;
  private channel: BroadcastChannel | undefined;
  private readonly abortsPosted = new Int32Array(new SharedArrayBuffer(4));
  /** The pool's `workerData` (piscina gives every worker it starts this same object, cloned then). */
  private readonly workerData: PoolWorkerData = {
    abortChannel: `aiecs-worker-aborts:${process.pid}:${++channelNumber}:${Math.random().toString(36).slice(2)}`,
    abortsPosted: this.abortsPosted,
    preload: [],
  };
  /** Ids of the tools in `workerData.preload`. */
  private readonly preloaded = new Set<number>();
  /** Whether the started pool's workers can load TypeScript. */
  private loadsTypeScript = false;
  /** Thread ids of the workers that finished starting (their tools loaded): piscina's ready workers. */
  private readonly readyWorkers = new Set<number>();
  /** Tasks handed to piscina and not settled yet (queued, waiting for a starting worker, or running). */
  private inFlight = 0;
  private closed = false;

  constructor(
    readonly settings: PoolSettings,
    private readonly hooks: PoolHooks,
  ) {}

  /** The pool's name (`default` for the default pool). */
  get name(): string {
    return this.settings.name;
  }

  /** Worker threads alive now (0 before the first task and after close). */
  get threads(): number {
    return this.piscina?.threads.length ?? 0;
  }

  /** The tools a worker loads before it takes a call (those `know` was given, in order). */
  get tools(): readonly ToolRef[] {
    return this.workerData.preload;
  }

  /** Workers started from now on load `ref`'s tool before they take a call. */
  know(ref: ToolRef): void {
    if (this.preloaded.has(ref.id)) return;
    this.preloaded.add(ref.id);
    this.workerData.preload.push(ref);
  }

  /** False when the pool already started without a TypeScript loader and `module` is TypeScript (its flags are fixed). */
  canLoad(module: string): boolean {
    return this.piscina === undefined || this.loadsTypeScript || !isTypeScript(module);
  }

  /** Runs one task on the pool (started now if it has not). */
  run(task: WorkerTask, signal?: AbortSource): Promise<WorkerReply> {
    const piscina = this.started();
    const reply = piscina.run(task, signal === undefined ? undefined : { signal }) as Promise<WorkerReply>;
    this.inFlight++;
    // A branch of its own, registered first: the caller's reactions see the count already down, and wait no extra tick.
    reply.then(this.settled, this.settled);
    return reply;
  }

  private readonly settled = (): void => {
    this.inFlight--;
  };

  /** Aborts call `id`'s `ctx.signal` inside the worker that runs it. */
  broadcastAbort(id: number, reason: unknown): void {
    if (this.channel === undefined) return;
    const message: AbortMessage = { id, reason: errorToWire(reason) };
    this.channel.postMessage(message);
    // After the post: a worker that sees the count change finds the message waiting.
    Atomics.add(this.abortsPosted, 0, 1);
  }

  /** Starts all `maxWorkers` workers and resolves once each has loaded the pool's tools. */
  async warmUp(): Promise<void> {
    const parties = this.settings.maxWorkers;
    const barrier = { arrived: new Int32Array(new SharedArrayBuffer(4)), parties };
    const tools = [...this.workerData.preload];
    await Promise.all(Array.from({ length: parties }, () => this.run({ warm: true, tools, barrier })));
  }

  /**
   * The pool's load now, read from piscina at call time (a few property reads and a loop over at most
   * `maxWorkers` workers). All zero but `maxWorkers` before the pool started.
   */
  stats(): InvokerStats {
    const piscina = this.piscina;
    const maxWorkers = this.settings.maxWorkers;
    if (piscina === undefined) return { workers: 0, maxWorkers, queued: 0, running: 0, completed: 0, utilization: 0 };
    // piscina 5 counts no running tasks: each ready worker that is not idle runs one (one task per worker).
    const running = Math.min(this.inFlight, Math.max(0, this.readyWorkers.size - piscina.idleThreads));
    return {
      workers: piscina.threads.length,
      maxWorkers,
      // Not piscina's queueSize, which leaves out the tasks waiting for a worker that is starting.
      queued: Math.max(0, this.inFlight - running),
      running,
      completed: piscina.completed,
      utilization: piscina.utilization,
    };
  }

  /** Thread time the pool could have spent running tasks since it started, in ms (`maxWorkers` × its age). */
  capacityMs(): number {
    return this.piscina === undefined ? 0 : this.piscina.duration * this.settings.maxWorkers;
  }

  /** Ends the workers (a task still running is rejected); the pool starts no more. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const piscina = this.piscina;
    this.piscina = undefined;
    this.channel?.close();
    this.channel = undefined;
    await piscina?.destroy();
  }

  /** The piscina instance, made on first use. */
  private started(): Piscina {
    if (this.piscina !== undefined) return this.piscina;
    if (this.closed) throw new Error(`worker pool ${this.name} is closed`);
    const channel = new BroadcastChannel(this.workerData.abortChannel);
    (channel as unknown as { unref(): void }).unref();
    this.channel = channel;
    const execArgv = this.settings.execArgv ?? workerExecArgv([WORKER_ENTRY, ...this.workerData.preload.map((ref) => ref.module)]);
    this.loadsTypeScript = execArgv !== undefined || parentHasLoader();
    const piscina = new Piscina({
      filename: WORKER_ENTRY,
      maxThreads: this.settings.maxWorkers,
      minThreads: 0,
      idleTimeout: this.settings.idleTimeoutMs,
      resourceLimits: this.settings.resourceLimits,
      ...(execArgv === undefined ? {} : { execArgv: [...execArgv] }),
      workerData: this.workerData,
      loadBalancer: this.readyIdleWorker,
    });
    piscina.on('message', (message: unknown) => this.hooks.onMessage(message));
    piscina.on('workerCreate', (worker: { id: number }) => this.readyWorkers.add(worker.id));
    piscina.on('workerDestroy', (worker: { id: number }) => this.readyWorkers.delete(worker.id));
    // A worker that throws between calls has no call to fail: say so instead of crashing the process.
    piscina.on('error', (error: unknown) =>
      this.hooks.logger?.warn(
        `worker pool${this.name === DEFAULT_POOL ? '' : ` "${this.name}"`}: a worker failed outside any call (${String((error as Error)?.message ?? error)}); it was replaced`,
      ),
    );
    this.piscina = piscina;
    return piscina;
  }

  /**
   * piscina's balancer, restricted to idle workers that have started: its own may hand a queued call to a
   * worker still starting (seconds when it loads TypeScript), although another one is idle by then.
   */
  private readonly readyIdleWorker = <W extends PoolWorker>(_task: unknown, workers: readonly W[]): W | null =>
    workers.find((worker) => worker.currentUsage === 0 && this.readyWorkers.has(worker.id) && !worker.terminating && !worker.destroyed) ??
    null;
}
