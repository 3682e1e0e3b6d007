import {
  checkNumber,
  InputValidationError,
  originalMethod,
  ToolExecutionError,
  UnknownOperationError,
  type CallOptions,
  type Constructor,
  type OperationSite,
} from '@aiecs/core';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { randomUUID } from 'node:crypto';
import type { CacheStore } from './cache/CacheStore';
import { toolKeyPrefix } from './cache/callKey';
import { warmUp, warmUpInput, type WarmUpItem, type WarmUpOptions, type WarmUpReport } from './cache/warmUp';
import { reportedCircuitState } from './concerns/circuitBreaker';
import { resolveToolConfig } from './config/resolveToolConfig';
import type { ToolConfig, ToolConfigInput } from './config/ToolConfig';
import { describeTool, type ToolDescriptor } from './describe/describeTool';
import { EventBus } from './events/EventBus';
import { reportRefusal } from './events/reportRefusal';
import type { Logger } from './logging/Logger';
import { ExecutorMetrics, type MetricsSnapshot } from './metrics/ExecutorMetrics';
import { AttemptContext, DEFAULT_TASK_ID, DEFAULT_USER_ID, type OperationMethod } from './pipeline/Call';
import { composePipeline, type CompiledOperation } from './pipeline/composePipeline';
import { settle } from './pipeline/Handler';
import { deferredCall, type PreparedCall } from './pipeline/PreparedCall';
import { STAGE_NAMES, type StageName } from './pipeline/pipelineOrder';
import { checkOperationConfig } from './planning/checkOperationConfig';
import type { OperationPlan } from './planning/OperationPlan';
import { planOperation, planSources } from './planning/planOperation';
import { ToolRuntime } from './runtime/ToolRuntime';
import { checkedOrNone, checkInput, isActiveAttempt, operationName, readCallOptions, Refusal } from './tool/callDoor';

/** Health of one tool: `degraded` while a circuit is not closed, `unhealthy` when the cache fails. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** What `healthCheck()` reports. */
export interface HealthReport {
  readonly status: HealthStatus;
  /** Result of a write/read/delete round trip on the cache (`disabled` when caching is off). */
  readonly cache: 'ok' | 'failed' | 'disabled';
  /** Circuit breaker state per operation that has one. */
  readonly circuits: Readonly<Record<string, string>>;
  readonly metrics: MetricsSnapshot;
  /** Why the status is not healthy, when it is not. */
  readonly error?: string;
}

/** What `describe(op)` reports: the resolved plan and the stages that run, in order. */
export interface OperationDescription {
  readonly plan: OperationPlan;
  readonly stages: readonly StageName[];
}

/** Options a tool constructor takes besides its configuration. */
export interface ToolBinding {
  /** Run on this runtime (an app's), sharing its cache, timers, events and invoker; it is not closed by the tool. */
  readonly runtime?: ToolRuntime;
}

/**
 * Runs a tool's operations: reads the decorators' metadata once per operation, composes the concerns
 * in `PIPELINE_ORDER` on the runtime's shared services, and keeps the tool's own state (breakers,
 * bulkheads, metrics).
 */
export class ToolExecutor implements AsyncDisposable {
  /** Effective configuration (explicit options > environment > defaults). */
  readonly config: ToolConfig;
  /** Counters per operation (a listener of the tool's events). */
  readonly metrics = new ExecutorMetrics();
  /** The tool's events; forwarded to its runtime's bus. */
  readonly events = new EventBus();
  /** Registry name of the tool, used in cache keys, errors and events. */
  readonly toolName: string;
  /** The tool's operations. */
  readonly operations: ReadonlySet<string>;
  /** The tool as registries see it. */
  readonly descriptor: ToolDescriptor;

  private boundRuntime: ToolRuntime | undefined;
  private ownsRuntime = false;
  private readonly compiled = new Map<string, CompiledOperation>();
  private readonly plans = new Map<string, OperationPlan>();
  private readonly timeoutOverrides = new Map<string, number>();
  private closed = false;

  /** `tool` is the instance whose methods run. */
  constructor(
    readonly tool: object,
    config: (ToolConfigInput & ToolBinding) | undefined = undefined,
  ) {
    const { runtime, ...options } = config ?? {};
    this.config = resolveToolConfig(options);
    this.descriptor = describeTool(tool.constructor as Constructor);
    this.toolName = this.descriptor.name;
    this.operations = new Set(this.descriptor.operations.map((op) => op.name));
    checkOperationConfig(this.config.operations, this.operations, this.toolName);
    this.events.subscribe(this.metrics);
    if (runtime !== undefined) this.bind(runtime);
  }

  /** The runtime the tool runs on: the one it was given, or a private one made on first use. */
  get runtime(): ToolRuntime {
    if (this.boundRuntime === undefined) {
      if (this.closed) throw new ToolExecutionError({ tool: this.toolName, operation: '*' }, 'tool is closed', { kind: 'caller' });
      this.bind(new ToolRuntime({ config: this.config }));
      this.ownsRuntime = true;
    }
    return this.boundRuntime!;
  }

  /** The cache store (the runtime's). */
  get cache(): CacheStore {
    return this.runtime.cache;
  }

  /** Where the executor logs (the runtime's logger). */
  get logger(): Logger {
    return this.runtime.logger;
  }

  /**
   * Moves a tool that has not run yet onto `runtime` (what `createApp` does with ready instances).
   * Returns false when the tool already runs on another runtime.
   */
  adopt(runtime: ToolRuntime): boolean {
    if (this.boundRuntime !== undefined) return this.boundRuntime === runtime;
    this.bind(runtime);
    return true;
  }

  /** Runs `operation` by name (the seed's `execute`): unknown or private names are refused. Never throws synchronously. */
  run(operation: string, input: unknown, options?: CallOptions): Promise<unknown> {
    try {
      if (typeof operation !== 'string' || !this.operations.has(operation)) {
        return Promise.reject(this.refuse(operationName(operation), checkedOrNone(options), this.unknown(operation)));
      }
      const method = (this.tool as Record<string, unknown>)[operation] as OperationMethod;
      return this.invoke(operation, originalMethod(method), input, options);
    } catch (error) {
      return Promise.reject(this.refuse(operationName(operation), checkedOrNone(options), error));
    }
  }

  /**
   * Runs `method` as operation `operation` through its pipeline (decorated methods forward here). The
   * door: the tool must be open, the input an object, the call options well-formed (each read once,
   * here). A refusal is reported like any other failed call. Never throws synchronously.
   */
  invoke(operation: string, method: OperationMethod, input: unknown, options: unknown): Promise<unknown> {
    let callOptions: CallOptions | undefined;
    try {
      // `super.op(input, context)` from an override: already inside this operation's pipeline.
      if (isActiveAttempt(options, operation)) return settle(() => method.call(this.tool, input, options as AttemptContext));
      const checked = options === undefined ? undefined : readCallOptions(options);
      if (!(checked instanceof Refusal)) callOptions = checked;
      if (this.closed) return Promise.reject(this.refuse(operation, callOptions, this.closedError(operation)));
      const problem = checkInput(input) ?? (checked instanceof Refusal ? checked.problem : undefined);
      if (problem) return Promise.reject(this.refuse(operation, callOptions, new InputValidationError([problem], operation)));
      return this.compile(operation).enter(method, input === undefined ? {} : input, callOptions);
    } catch (error) {
      return Promise.reject(this.refuse(operation, callOptions, error));
    }
  }

  /**
   * The call `run(operation, input, options)` would make, checked at the same door but not made yet:
   * answer it from the cache at once (`fromCache`, a synchronous store only) or make it later with the
   * transport's signal and progress listener (`run(control)`); the cache key is computed once. A call
   * the door refuses (unknown operation, closed tool, bad input or options) is never answered from the
   * cache; its `run` rejects as `run()` does, and reports the refusal then. Never throws.
   *
   * @example
   * ```ts
   * const prepared = tool.executor.prepare('read', { path: 'a.txt' }, { userId: 'u1' });
   * const hit = prepared.fromCache(); // a promise when the in-memory cache holds the entry
   * const result = await (hit ?? prepared.run({ signal }));
   * ```
   */
  prepare(operation: string, input: unknown, options?: CallOptions): PreparedCall {
    try {
      if (typeof operation !== 'string' || !this.operations.has(operation) || this.closed)
        return this.unprepared(operation, input, options);
      if (checkInput(input) !== undefined || isActiveAttempt(options, operation)) return this.unprepared(operation, input, options);
      const checked = options === undefined ? undefined : readCallOptions(options);
      if (checked instanceof Refusal) return this.unprepared(operation, input, options);
      const method = originalMethod((this.tool as Record<string, unknown>)[operation] as OperationMethod);
      return this.compile(operation).prepare(method, input === undefined ? {} : input, checked);
    } catch {
      return this.unprepared(operation, input, options); // the call meets the problem again when it runs, and reports it
    }
  }

  /** Sets the overall deadline of `operation` (the seed's `set_operation_timeout`); wins over decorators and options. */
  setOperationTimeout(operation: string, timeoutMs: number): void {
    if (!this.operations.has(operation)) throw this.unknown(operation);
    this.timeoutOverrides.set(operation, checkNumber(`setOperationTimeout(${operation})`, timeoutMs));
  }

  /** The resolved plan of `operation` and its active stages, outermost first. */
  describe(operation: string): OperationDescription {
    if (!this.operations.has(operation)) throw this.unknown(operation);
    // From the plan alone: describing an operation builds nothing and binds no runtime.
    const plan = this.plan(operation);
    const stages = STAGE_NAMES.filter((name) => plan[name] !== undefined);
    const timeoutMs = this.timeoutOverrides.get(operation);
    return { plan: timeoutMs === undefined ? plan : { ...plan, deadline: { timeoutMs } }, stages };
  }

  /**
   * The cockatiel policies behind `operation`'s stages (`retry`, `circuitBreaker`, `bulkhead`,
   * `attemptTimeout`), to subscribe to their events (`onRetry`, `onBreak`, …).
   */
  policies(operation: string): Readonly<Partial<Record<StageName, object>>> {
    if (!this.operations.has(operation)) throw this.unknown(operation);
    return this.compile(operation).policies;
  }

  /** Counters, totals and circuit states. `cacheHits / requests` is the seed's hit rate. */
  getMetrics(): MetricsSnapshot {
    return this.metrics.snapshot(new Map(Object.entries(this.circuitStates())));
  }

  /**
   * Circuits (any not closed makes the tool `degraded`) and a write/read/delete round trip on the cache
   * under a key of its own (so replicas sharing a store never collide).
   */
  async healthCheck(): Promise<HealthReport> {
    const circuits = this.circuitStates();
    const metrics = this.getMetrics();
    if (this.closed) return { status: 'unhealthy', cache: 'disabled', circuits, metrics, error: 'tool is closed' };
    const tripped = Object.entries(circuits).filter(([, state]) => state !== 'closed');
    const circuitStatus: HealthReport = tripped.length
      ? { status: 'degraded', cache: 'disabled', circuits, metrics, error: `circuit ${tripped.map(([op, s]) => `${op}: ${s}`).join(', ')}` }
      : { status: 'healthy', cache: 'disabled', circuits, metrics };
    if (!this.config.enableCache || this.config.cacheSize === 0) return circuitStatus;
    const cache = await probeCache(this.cache, `${toolKeyPrefix(this.toolName)}health:${randomUUID()}`);
    if (cache !== undefined) return { status: 'unhealthy', cache: 'failed', circuits, metrics, error: cache };
    return { ...circuitStatus, cache: 'ok' };
  }

  /** Empties this tool's cached results (only its own entries in a store shared with other tools). */
  clearCache(): Promise<void> {
    return settle(() => (this.boundRuntime === undefined ? undefined : this.cache.clear(toolKeyPrefix(this.toolName))));
  }

  /**
   * Runs `operations` (`{ op, input?, context? }` or `{ op, kwargs }`) through the pipeline, at most
   * `concurrency` at once (default `ioConcurrency`), so their results are cached before real traffic.
   * Never rejects because an operation failed: failures are logged once (a warning) and reported.
   */
  warmUpCache(operations: readonly WarmUpItem[], options?: WarmUpOptions): Promise<WarmUpReport> {
    return settle(() =>
      warmUp(
        operations,
        options,
        this.config.ioConcurrency,
        (item) => String(item.op),
        (item) => this.run(item.op, warmUpInput(item), item.context),
        this.logger,
      ),
    );
  }

  /** Stops the tool: later calls fail; a private runtime (its timers and default store) is released. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.events.detach();
    if (this.ownsRuntime) await this.boundRuntime!.close();
  }

  /** `await using tool = new FileTool()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private bind(runtime: ToolRuntime): void {
    if (!(runtime instanceof ToolRuntime)) throw new TypeError('runtime must be a ToolRuntime (createApp makes one)');
    this.boundRuntime = runtime;
    this.events.attachTo(runtime.events);
  }

  /** A call the door refuses, prepared: its `run` is `run()`'s, refusal and report included. */
  private unprepared(operation: string, input: unknown, options: CallOptions | undefined): PreparedCall {
    return deferredCall((merged) => this.run(operation, input, merged), options);
  }

  private unknown(operation: unknown): UnknownOperationError {
    const reason = typeof operation === 'string' && operation.startsWith('_') ? 'is private' : 'does not exist';
    return new UnknownOperationError({ tool: this.toolName, operation: operationName(operation) }, `operation ${reason}`);
  }

  private closedError(operation: string): ToolExecutionError {
    return new ToolExecutionError({ tool: this.toolName, operation }, 'tool is closed', { kind: 'caller' });
  }

  /**
   * Reports a call refused at the door (a `callEnded` failure, as `instrument` reports the others) and
   * returns the error for the caller. `options` are the checked call options (never the caller's object).
   */
  private refuse(operation: string, options: CallOptions | undefined, error: unknown): unknown {
    try {
      const caller = {
        userId: options?.userId ?? DEFAULT_USER_ID,
        taskId: options?.taskId ?? DEFAULT_TASK_ID,
        toolCallId: options?.toolCallId,
      };
      return reportRefusal(this.events, { tool: this.toolName, operation }, caller, error);
    } catch {
      return error;
    }
  }

  private circuitStates(): Record<string, string> {
    const states: Record<string, string> = {};
    for (const [operation, compiled] of this.compiled) {
      const breaker = compiled.policies.circuitBreaker as CircuitBreakerPolicy | undefined;
      if (breaker) states[operation] = reportedCircuitState(breaker);
    }
    return states;
  }

  private plan(operation: string): OperationPlan {
    let plan = this.plans.get(operation);
    if (plan) return plan;
    const site: OperationSite = { tool: this.toolName, operation };
    plan = planOperation(planSources(this.tool.constructor as Constructor, site, this.config));
    this.plans.set(operation, plan);
    return plan;
  }

  private compile(operation: string): CompiledOperation {
    let compiled = this.compiled.get(operation);
    if (compiled) return compiled;
    const plan = this.plan(operation);
    const runtime = this.runtime;
    compiled = composePipeline(plan, {
      site: { tool: plan.tool, operation },
      target: this.tool,
      cache: runtime.cache,
      flights: runtime.flights,
      timers: runtime.timers,
      invoker: runtime.invoker,
      events: this.events,
      timeoutMs: () => this.timeoutOverrides.get(operation) ?? plan.deadline?.timeoutMs ?? 0,
    });
    this.compiled.set(operation, compiled);
    return compiled;
  }
}

/** A write/read/delete round trip; returns why it failed, or undefined. */
async function probeCache(cache: CacheStore, key: string): Promise<string | undefined> {
  try {
    const probe = `${Date.now()}:${Math.random()}`;
    await cache.set(key, probe, 60_000);
    const read = await cache.get(key);
    await cache.delete(key);
    return read === probe ? undefined : 'cache returned a different value';
  } catch (error) {
    return String(error);
  }
}
