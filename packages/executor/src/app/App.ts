import { ConfigurationError, UnknownOperationError, type CallOptions, type Constructor } from '@aiecs/core';
import type { BaseTool } from '../BaseTool';
import { warmUp, type WarmUpOptions, type WarmUpReport } from '../cache/warmUp';
import type { ToolConfigInput } from '../config/ToolConfig';
import { describeTool, type OperationDescriptor, type ToolDescriptor } from '../describe/describeTool';
import type { ToolEventListener } from '../events/ToolEvents';
import type { MetricsSnapshot } from '../metrics/ExecutorMetrics';
import { settle } from '../pipeline/Handler';
import { deferredCall, type PreparedCall } from '../pipeline/PreparedCall';
import { ToolRuntime, type ToolRuntimeOptions } from '../runtime/ToolRuntime';
import type { HealthReport, HealthStatus } from '../ToolExecutor';

/** A tool class constructible with options (every `BaseTool` subclass is). */
export type ToolClass<T extends BaseTool = BaseTool> = new (config?: ToolConfigInput & { runtime?: ToolRuntime }) => T;

/** What `createApp({ tools })` accepts: a class, a class with its own options, or a ready instance. */
export type ToolEntry = ToolClass | { readonly tool: ToolClass; readonly config?: ToolConfigInput } | BaseTool;

/** Options of `createApp`. */
export interface AppOptions extends ToolRuntimeOptions {
  /** The tools to register. Classes are built on the app's runtime with `config` and their own options. */
  readonly tools: readonly ToolEntry[];
  /** Refuse operations that have no input schema (`@ValidateInput` or a conventional `<Op>Schema`). */
  readonly requireSchemas?: boolean;
}

/** One operation of `app.warmUpCache()`: `app.run()`'s arguments. */
export interface AppWarmUpItem {
  /** Qualified name, `tool.operation`. */
  readonly operation: string;
  readonly input?: unknown;
  readonly context?: CallOptions;
}

/** What `app.healthCheck()` reports: the worst status of the tools, and each tool's report. */
export interface AppHealthReport {
  readonly status: HealthStatus;
  readonly tools: Readonly<Record<string, HealthReport>>;
}

const SEVERITY: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

interface Registered {
  readonly descriptor: ToolDescriptor;
  readonly instance: BaseTool;
  /** False for a ready instance that keeps its own runtime: the app does not close it. */
  readonly onAppRuntime: boolean;
}

function isToolInstance(entry: ToolEntry): entry is BaseTool {
  return typeof entry === 'object' && entry !== null && 'executor' in entry;
}

function entryClass(entry: ToolEntry, index: number): Constructor {
  if (typeof entry === 'function') return entry;
  if (isToolInstance(entry)) return entry.constructor as Constructor;
  if (typeof entry === 'object' && entry !== null && typeof entry.tool === 'function') return entry.tool;
  throw new ConfigurationError(`tools.${index}`, entry, 'expected a tool class, { tool, config }, or a tool instance');
}

/** Checks the registry before anything is built: names, operations, schemas. */
function checkRegistry(descriptors: readonly ToolDescriptor[], requireSchemas: boolean): void {
  const byName = new Map<string, ToolDescriptor>();
  for (const descriptor of descriptors) {
    const other = byName.get(descriptor.name);
    if (other) {
      throw new ConfigurationError(
        'tools',
        descriptor.name,
        `two tools are named '${descriptor.name}' (${other.toolClass.name} and ${descriptor.toolClass.name}); name one with @Tool({ name })`,
      );
    }
    byName.set(descriptor.name, descriptor);
    if (descriptor.operations.length === 0) {
      throw new ConfigurationError(`tools.${descriptor.name}`, descriptor.toolClass.name, 'the class has no operations (public methods)');
    }
    if (requireSchemas) {
      const bare = descriptor.operations.find((op) => op.inputSchema === undefined);
      if (bare)
        throw new ConfigurationError(bare.qualifiedName, undefined, 'no input schema (requireSchemas is on): add @ValidateInput(Schema)');
    }
  }
}

/**
 * Tools registered together on one runtime: listed and described from their metadata, run by
 * qualified name (`tool.operation`), health-checked and closed together.
 */
export class App implements AsyncDisposable {
  /** The services the tools share. */
  readonly runtime: ToolRuntime;
  private readonly registered: ReadonlyMap<string, Registered>;
  private readonly operationIndex: ReadonlyMap<string, OperationDescriptor>;
  private closing: Promise<void> | undefined;

  constructor(options: AppOptions) {
    if (options === null || typeof options !== 'object') throw new ConfigurationError('createApp', options, 'expected { tools, … }');
    if (!Array.isArray(options.tools))
      throw new ConfigurationError('tools', options.tools, 'expected an array of tool classes or instances');
    const classes = options.tools.map(entryClass);
    const descriptors = classes.map((toolClass) => describeTool(toolClass));
    checkRegistry(descriptors, options.requireSchemas === true);
    this.runtime = new ToolRuntime(options);
    // Classes are built first: if one constructor throws, no ready instance has been moved onto this runtime.
    const built = options.tools.map((entry) => (isToolInstance(entry) ? entry : this.instantiate(entry, options.config)));
    this.registered = new Map(
      built.map((instance, index) => {
        // A ready instance that already runs on a runtime of its own stays there, and stays its creator's to close.
        const onAppRuntime = instance.executor.adopt(this.runtime);
        return [descriptors[index]!.name, { descriptor: descriptors[index]!, instance, onAppRuntime }];
      }),
    );
    this.operationIndex = new Map(descriptors.flatMap((d) => d.operations.map((op) => [op.qualifiedName, op] as const)));
  }

  /** The registered tools, as plain descriptors. */
  tools(): readonly ToolDescriptor[] {
    return [...this.registered.values()].map((r) => r.descriptor);
  }

  /** Every operation of every tool, as plain descriptors. */
  operations(): readonly OperationDescriptor[] {
    return [...this.operationIndex.values()];
  }

  /** The descriptor of `qualifiedName` (`file.read`); throws `UnknownOperationError` when there is none. */
  describe(qualifiedName: string): OperationDescriptor {
    const descriptor = this.operationIndex.get(qualifiedName);
    if (descriptor === undefined) throw this.unknown(qualifiedName);
    return descriptor;
  }

  /** The registered instance of a tool, by name or class: its `run()` is typed from its methods. */
  tool<T extends BaseTool>(nameOrClass: string | (abstract new (...args: any[]) => T)): T {
    const found =
      typeof nameOrClass === 'string'
        ? this.registered.get(nameOrClass)
        : [...this.registered.values()].find((r) => (r.descriptor.toolClass as unknown) === nameOrClass);
    if (found === undefined)
      throw new UnknownOperationError(
        { tool: String(typeof nameOrClass === 'string' ? nameOrClass : nameOrClass.name), operation: '*' },
        'no such tool is registered',
      );
    return found.instance as T;
  }

  /** Runs `tool.operation` through that tool's pipeline. Unknown names reject with `UnknownOperationError`. */
  run(qualifiedName: string, input?: unknown, context?: CallOptions): Promise<unknown> {
    const descriptor = typeof qualifiedName === 'string' ? this.operationIndex.get(qualifiedName) : undefined;
    if (descriptor === undefined) return Promise.reject(this.unknown(qualifiedName));
    return this.registered.get(descriptor.tool)!.instance.executor.run(descriptor.name, input, context);
  }

  /**
   * The call `run(qualifiedName, input, context)` would make, not made yet: answered from the cache at
   * once or run later with the transport's signal (see `ToolExecutor.prepare`). Never throws.
   *
   * @example
   * ```ts
   * const prepared = app.prepare('file.read', { path: 'a.txt' }, { userId: 'u1' });
   * const result = await (prepared.fromCache() ?? prepared.run({ signal }));
   * ```
   */
  prepare(qualifiedName: string, input?: unknown, context?: CallOptions): PreparedCall {
    const descriptor = typeof qualifiedName === 'string' ? this.operationIndex.get(qualifiedName) : undefined;
    if (descriptor === undefined) return deferredCall((merged) => this.run(qualifiedName, input, merged), context);
    return this.registered.get(descriptor.tool)!.instance.executor.prepare(descriptor.name, input, context);
  }

  /** Each tool's metrics, by tool name. */
  getMetrics(): Readonly<Record<string, MetricsSnapshot>> {
    return Object.fromEntries([...this.registered].map(([name, r]) => [name, r.instance.executor.getMetrics()]));
  }

  /** Aggregates the tools' checks: one tool's open circuit makes the app `degraded`; a failing cache, `unhealthy`. */
  async healthCheck(): Promise<AppHealthReport> {
    const reports = await Promise.all(
      [...this.registered].map(async ([name, r]) => [name, await r.instance.executor.healthCheck()] as const),
    );
    const status = reports.reduce<HealthStatus>(
      (worst, [, report]) => (SEVERITY[report.status] > SEVERITY[worst] ? report.status : worst),
      'healthy',
    );
    return { status, tools: Object.fromEntries(reports) };
  }

  /** Subscribes a listener to every tool's events; returns the unsubscribe function. */
  subscribe(listener: ToolEventListener): () => void {
    return this.runtime.subscribe(listener);
  }

  /**
   * Runs `operations` (`{ operation: 'file.read', input?, context? }`) at most `concurrency` at once (default
   * the app's `ioConcurrency`) so their results are cached before real traffic. Never rejects because an
   * operation failed: failures (an unknown name included) are logged once and reported.
   *
   * @example
   * ```ts
   * const report = await app.warmUpCache([{ operation: 'file.read', input: { path: 'a.txt' } }]);
   * report.failed; // 0
   * ```
   */
  warmUpCache(operations: readonly AppWarmUpItem[], options?: WarmUpOptions): Promise<WarmUpReport> {
    return settle(() =>
      warmUp(
        operations,
        options,
        this.runtime.config.ioConcurrency,
        (item) => String(item.operation),
        (item) => this.run(item.operation, item.input, item.context),
        this.runtime.logger,
      ),
    );
  }

  /**
   * Closes the tools on the app's runtime, then the runtime (what it created; never a store, logger or
   * invoker passed in). A ready instance that kept a runtime of its own is left to its creator. Idempotent.
   */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      await Promise.all([...this.registered.values()].filter((r) => r.onAppRuntime).map((r) => r.instance.close()));
      await this.runtime.close();
    })());
  }

  /** `await using app = createApp(…)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Builds a tool from a class entry on the app's runtime. (A ready instance joins the runtime unless it already runs on its own.) */
  private instantiate(entry: Exclude<ToolEntry, BaseTool>, shared: ToolConfigInput | undefined): BaseTool {
    const toolClass = typeof entry === 'function' ? entry : entry.tool;
    const own = typeof entry === 'function' ? undefined : entry.config;
    return new toolClass({ ...shared, ...own, runtime: this.runtime });
  }

  private unknown(qualifiedName: unknown): UnknownOperationError {
    const [tool = '', operation = ''] = typeof qualifiedName === 'string' ? qualifiedName.split('.', 2) : [String(qualifiedName)];
    const reason = this.registered.has(tool)
      ? `operation does not exist (known: ${this.registered
          .get(tool)!
          .descriptor.operations.map((o) => o.name)
          .join(', ')})`
      : 'no such tool is registered';
    return new UnknownOperationError({ tool, operation }, reason);
  }
}

/**
 * Registers tools on one shared runtime (cache store, single-flight, timers, events, logger, invoker).
 *
 * @example
 * ```ts
 * await using app = createApp({ tools: [FileTool, { tool: HttpTool, config: { timeoutMs: 5_000 } }], listeners: [audit] });
 * app.operations();                                  // descriptors: names, descriptions, side effects, schemas
 * await app.run('file.read', { path: 'a.txt' }, { userId: 'u1' });
 * await app.tool(FileTool).run('read', { path: 'a.txt' }); // typed
 * ```
 */
export function createApp(options: AppOptions): App {
  return new App(options);
}
