import type { CacheStore } from '../cache/CacheStore';
import { createDefaultCacheStore } from '../cache/defaultCacheStore';
import { SingleFlight } from '../cache/SingleFlight';
import { resolveToolConfig } from '../config/resolveToolConfig';
import type { ToolConfig, ToolConfigInput } from '../config/ToolConfig';
import { EventBus } from '../events/EventBus';
import type { ToolEventListener } from '../events/ToolEvents';
import { adaptLogger, type UserLogger } from '../logging/adaptLogger';
import { logListener } from '../logging/logListener';
import { consoleLogger, type Logger } from '../logging/Logger';
import { DelayTimers } from '../policies/DelayTimers';
import { inProcessInvoker, type Invoker } from './Invoker';

/** What a runtime is made of; everything is optional. Resources passed in are never closed by the runtime. */
export interface ToolRuntimeOptions {
  /** Tool-wide settings shared by the tools (explicit > environment > defaults); also sizes the default store. */
  readonly config?: ToolConfigInput;
  /** The cache store the tools share (default: an in-memory LRU of `config.cacheSize` entries, owned by the runtime). */
  readonly cacheStore?: CacheStore;
  /** Where logs go: any `{ debug, info, warn, error }` logger, pino's `(object, message)` shape included. */
  readonly logger?: UserLogger;
  /** Event listeners (metrics exporters, tracers, audit logs). */
  readonly listeners?: readonly ToolEventListener[];
  /** Runs method bodies (default: in-process). */
  readonly invoker?: Invoker;
}

/**
 * The services the tools of one app share: cache store, single-flight table, deadline timers, logger,
 * event bus, invoker and the resolved configuration. `createApp()` builds one; a standalone tool builds
 * a private one. Whoever creates a resource closes it: `close()` releases what the runtime created
 * (its default store, its timers) and never what it was given.
 */
export class ToolRuntime implements AsyncDisposable {
  /** The resolved tool-wide configuration. */
  readonly config: ToolConfig;
  /** Concurrent identical misses share one execution, across the runtime's tools. */
  readonly flights = new SingleFlight();
  /** Shared deadline timers (one Node timer per distinct delay). */
  readonly timers = new DelayTimers();
  /** Where the runtime and its tools log. */
  readonly logger: Logger;
  /** Events of every tool on this runtime. */
  readonly events = new EventBus();
  /** Runs method bodies. */
  readonly invoker: Invoker;

  private store: CacheStore | undefined;
  private readonly ownsStore: boolean;
  private closing: Promise<void> | undefined;

  constructor(options: ToolRuntimeOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('ToolRuntime options must be an object');
    this.config = resolveToolConfig({ ...options.config, cacheStore: options.cacheStore ?? options.config?.cacheStore });
    const logger = options.logger ?? options.config?.logger;
    this.logger = logger ? adaptLogger(logger) : consoleLogger(this.config.logLevel);
    this.store = this.config.cacheStore;
    this.ownsStore = this.store === undefined;
    this.invoker = options.invoker ?? inProcessInvoker;
    this.events.subscribe(logListener(this.logger));
    for (const listener of options.listeners ?? []) this.events.subscribe(listener);
  }

  /** The shared cache store (the default one, per `cacheBackend`, is created on first use). */
  get cache(): CacheStore {
    return (this.store ??= createDefaultCacheStore(this.config));
  }

  /** True when `cache` is a store the runtime created (so it may clear all of it). */
  get ownsCache(): boolean {
    return this.ownsStore;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Subscribes a listener to every tool's events; returns the unsubscribe function. */
  subscribe(listener: ToolEventListener): () => void {
    return this.events.subscribe(listener);
  }

  /** Releases what the runtime created (timers, its default store); idempotent. */
  close(): Promise<void> {
    return (this.closing ??= this.release());
  }

  /** `await using runtime = new ToolRuntime()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async release(): Promise<void> {
    this.timers.close();
    if (this.ownsStore && this.store !== undefined) await this.store.close();
  }
}
