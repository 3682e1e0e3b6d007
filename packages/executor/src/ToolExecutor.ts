import {

  checkNumber,
  InputValidationError,
  isIntercepted,
  originalMethod,
  ToolExecutionError,
  UnknownOperationError,
  type CallOptions,
  type Constructor,
} from '@aiecs/core';
import { CircuitState } from 'cockatiel';
import type { CacheStore } from './cache/CacheStore';
import { MemoryCacheStore } from './cache/MemoryCacheStore';
import { SingleFlight } from './cache/SingleFlight';
import { resolveToolConfig } from './config/resolveToolConfig';
import type { ToolConfig, ToolConfigInput } from './config/ToolConfig';
import { AttemptContext } from './context/CallScope';
import { consoleLogger, type Logger } from './logging/Logger';
import { ExecutorMetrics, type MetricsSnapshot } from './metrics/ExecutorMetrics';
import { composePipeline, type CompiledOperation } from './pipeline/composePipeline';
import { settle, type Invocation } from './pipeline/Invocation';
import type { StageName } from './pipeline/pipelineOrder';
import { planOperation } from './planning/planOperation';
import { DelayTimers } from './policies/DelayTimers';
import type { OperationPlan } from './planning/OperationPlan';
import { discoverOperations } from './tool/discoverOperations';

type Method = (this: object, input: unknown, context: unknown) => unknown;

/** What `healthCheck()` reports. */
export interface HealthReport {
  readonly status: 'healthy' | 'unhealthy';
  /** Result of a write/read/delete round trip on the cache (`disabled` when caching is off). */
  readonly cache: 'ok' | 'failed' | 'disabled';
  /** Circuit breaker state per operation that has one. */
  readonly circuits: Readonly<Record<string, string>>;
  readonly metrics: MetricsSnapshot;
  /** Why the status is unhealthy, when it is. */
  readonly error?: string;
}

/** What `describe(op)` reports: the resolved plan and the stages that run, in order. */
export interface OperationDescription {
  readonly plan: OperationPlan;
  readonly stages: readonly StageName[];
}

const CIRCUIT_STATE_NAMES: Record<number, string> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

const HEALTH_PROBE_KEY = '__aiecs_health_check__';

/**
 * Runs a tool's operations: reads the decorators' metadata once per operation, composes the
 * concerns in `PIPELINE_ORDER`, and keeps the state they share (cache, breakers, metrics).
 */
export class ToolExecutor {
  /** Effective configuration (explicit options > environment > defaults). */
  readonly config: ToolConfig;
  /** Counters per operation. */
  readonly metrics = new ExecutorMetrics();
  /** Cache backend. */
  readonly cache: CacheStore;
  /** Where the executor logs. */
  readonly logger: Logger;
  /** Tool name used in cache keys, errors and logs. */
  readonly toolName: string;
  /** The tool's operations. */
  readonly operations: ReadonlySet<string>;

  private readonly flights = new SingleFlight();
  private readonly timers = new DelayTimers();
  private readonly compiled = new Map<string, CompiledOperation>();
  private readonly timeoutOverrides = new Map<string, number>();
  private closed = false;

  /** `tool` is the instance whose methods run; `stopAt` is the prototype where operation discovery stops. */
  constructor(
    readonly tool: object,
    config?: ToolConfigInput,
    stopAt: object | null = null,
  ) {
    this.config = resolveToolConfig(config);
    this.logger = this.config.logger ?? consoleLogger(this.config.logLevel);
    this.cache = this.config.cacheStore ?? new MemoryCacheStore({ maxSize: this.config.cacheSize, defaultTtlMs: this.config.cacheTtlMs });
    const toolClass = tool.constructor as Constructor & { toolName?: unknown };
    this.toolName = typeof toolClass.toolName === 'string' ? toolClass.toolName : toolClass.name;
    this.operations = discoverOperations(toolClass, stopAt);
  }

  /** Runs `operation` by name (the seed's `execute`): unknown or private names are refused. */
  run(operation: string, input: unknown, options?: CallOptions): Promise<unknown> {
    if (typeof operation !== 'string' || !this.operations.has(operation)) {
      const reason = typeof operation === 'string' && operation.startsWith('_') ? 'is private' : 'does not exist';
      return Promise.reject(new UnknownOperationError({ tool: this.toolName, operation: String(operation) }, `operation ${reason}`));
    }
    const method = (this.tool as Record<string, unknown>)[operation] as Method;
    return this.invoke(operation, originalMethod(method), input, options);
  }

  /** Runs `method` as operation `operation` through its pipeline (decorated methods forward here). */
  invoke(operation: string, method: Method, input: unknown, options: unknown): Promise<unknown> {
    // `super.op(input, context)` from an override: already inside this operation's pipeline.
    if (AttemptContext.isActive(options, operation)) return settle(() => method.call(this.tool, input, options));
    if (this.closed) return Promise.reject(new ToolExecutionError({ tool: this.toolName, operation }, 'tool is closed'));
    const problem = checkCall(input, options);
    if (problem) return Promise.reject(new InputValidationError([problem], operation));
    const invocation: Invocation = {
      tool: this.tool,
      method,
      input: input === undefined ? {} : input,
      options: options as CallOptions | undefined,
      cacheKey: undefined,
      scope: undefined,
    };
    return this.compile(operation).handler(invocation);
  }

  /** Sets the overall deadline of `operation` (the seed's `set_operation_timeout`); wins over decorators and options. */
  setOperationTimeout(operation: string, timeoutMs: number): void {
    this.timeoutOverrides.set(operation, checkNumber(`setOperationTimeout(${operation})`, timeoutMs));
  }

  /** The resolved plan of `operation` and its active stages, outermost first. */
  describe(operation: string): OperationDescription {
    const { plan, stages } = this.compile(operation);
    return { plan: { ...plan, timeoutMs: this.timeoutOverrides.get(operation) ?? plan.timeoutMs }, stages };
  }

  /** Counters, totals and circuit states. `cacheHits / requests` is the seed's hit rate. */
  getMetrics(): MetricsSnapshot {
    return this.metrics.snapshot(new Map(Object.entries(this.circuitStates())));
  }

  /** Exercises the cache with a write/read/delete round trip (as the seed does) and reports circuits. */
  async healthCheck(): Promise<HealthReport> {
    const circuits = this.circuitStates();
    const metrics = this.getMetrics();
    if (!this.config.enableCache || this.config.cacheSize === 0) return { status: 'healthy', cache: 'disabled', circuits, metrics };
    try {
      const probe = `${Date.now()}:${Math.random()}`;
      await this.cache.set(HEALTH_PROBE_KEY, probe, 60_000);
      const read = await this.cache.get(HEALTH_PROBE_KEY);
      await this.cache.delete(HEALTH_PROBE_KEY);
      if (read !== probe) return { status: 'unhealthy', cache: 'failed', circuits, metrics, error: 'cache returned a different value' };
      return { status: 'healthy', cache: 'ok', circuits, metrics };
    } catch (error) {
      return { status: 'unhealthy', cache: 'failed', circuits, metrics, error: String(error) };
    }
  }

  /** Empties the result cache. */
  clearCache(): Promise<void> {
    return Promise.resolve(this.cache.clear());
  }

  /** Releases the cache (and its timers); later calls fail with `ToolExecutionError`. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timers.close();
    await this.cache.close();
  }

  private circuitStates(): Record<string, string> {
    const states: Record<string, string> = {};
    for (const [operation, compiled] of this.compiled) {
      if (compiled.circuitBreaker) states[operation] = CIRCUIT_STATE_NAMES[compiled.circuitBreaker.state as number] ?? 'unknown';
    }
    return states;
  }

  private compile(operation: string): CompiledOperation {
    let compiled = this.compiled.get(operation);
    if (compiled) return compiled;
    const plan = planOperation(this.tool.constructor as Constructor, this.toolName, operation, this.config);
    compiled = composePipeline(plan, {
      cache: this.cache,
      flights: this.flights,
      logger: this.logger,
      counters: this.metrics.countersFor(operation),
      timers: this.timers,
      timeoutMs: () => this.timeoutOverrides.get(operation) ?? plan.timeoutMs,
    });
    this.compiled.set(operation, compiled);
    return compiled;
  }
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-object input or context is the caller's mistake: report it before anything runs. */
function checkCall(input: unknown, options: unknown): { path: string; constraints: Record<string, string> } | undefined {
  if (input !== undefined && !isPlainObject(input)) {
    return { path: '', constraints: { isObject: `input must be an object of named arguments, got ${describeType(input)}` } };
  }
  if (options !== undefined && !isPlainObject(options)) {
    return { path: '(context)', constraints: { isObject: `context must be an object (userId, taskId, signal, deadlineMs), got ${describeType(options)}` } };
  }
  return undefined;
}

function describeType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
