import { AiecsError, ConfigurationError } from '@aiecs/core';
import type { CacheStore } from '../cache/CacheStore';
import { createDefaultCacheStore } from '../cache/defaultCacheStore';
import { SingleFlight } from '../cache/SingleFlight';
import { resolveToolConfig } from '../config/resolveToolConfig';
import type { ToolConfig, ToolConfigInput } from '../config/ToolConfig';
import { EventBus } from '../events/EventBus';
import type { ToolEventListener } from '../events/ToolEvents';
import type { UserLogger } from '../logging/adaptLogger';
import { logListener } from '../logging/logListener';
import type { Logger } from '../logging/Logger';
import { logLevelWasSet, runtimeLogger } from '../logging/runtimeLogger';
import { DelayTimers } from '../policies/DelayTimers';
import { defaultInvoker, type Invoker, type InvokerFactory, type InvokerStats } from './Invoker';

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
  /**
   * Runs method bodies (default: in-process). An `Invoker` is used as given and never closed; an
   * `InvokerFactory` (`workerPool()` of `@aiecs/worker`) is called on first use and what it returns is
   * closed with the runtime.
   */
  readonly invoker?: Invoker | InvokerFactory;
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
  private store: CacheStore | undefined;
  private readonly ownsStore: boolean;
  private closing: Promise<void> | undefined;
  private madeInvoker: Invoker | undefined;
  private readonly invokerSource: Invoker | InvokerFactory;

  constructor(options: ToolRuntimeOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('ToolRuntime options must be an object');
    this.config = resolveToolConfig({ ...options.config, cacheStore: options.cacheStore ?? options.config?.cacheStore });
    this.logger = runtimeLogger(options.logger ?? options.config?.logger, this.config.logLevel, logLevelWasSet(options.config));
    this.store = this.config.cacheStore;
    this.ownsStore = this.store === undefined;
    if (options.invoker !== undefined && typeof options.invoker !== 'function' && typeof options.invoker?.invoke !== 'function') {
      throw new ConfigurationError('invoker', options.invoker, 'expected an Invoker ({ invoke }) or a factory (host) => Invoker');
    }
    this.invokerSource = options.invoker ?? defaultInvoker(this.logger);
    this.events.subscribe(logListener(this.logger, { logExecutionTime: this.config.logExecutionTime }));
    for (const listener of options.listeners ?? []) this.events.subscribe(listener);
  }

  /** The shared cache store (the default one, per `cacheBackend`, is created on first use). */
  get cache(): CacheStore {
    return (this.store ??= createDefaultCacheStore(this.config));
  }

  /** Runs method bodies: the invoker given, or the one its factory makes on first use (then the runtime's to close). */
  get invoker(): Invoker {
    if (typeof this.invokerSource !== 'function') return this.invokerSource;
    if (this.madeInvoker === undefined) {
      // A pool made after close() would never be closed.
      if (this.closed) throw new AiecsError('RUNTIME_CLOSED', 'the runtime is closed: it makes no new invoker', { kind: 'caller' });
      this.madeInvoker = this.invokerSource({ config: this.config, logger: this.logger });
    }
    return this.madeInvoker;
  }

  /**
   * The invoker's statistics (`Invoker.stats`), without making an invoker that does not exist yet: a
   * factory's pool that has not started reports nothing. For gauges read at scrape time.
   */
  invokerStats(): InvokerStats | undefined {
    return this.existingInvoker()?.stats?.();
  }

  /**
   * The invoker if it exists now (the one given, or the one its factory made), without making one. Two
   * runtimes may share one invoker: gauges that add up several apps count it once by this identity.
   */
  existingInvoker(): Invoker | undefined {
    return typeof this.invokerSource === 'function' ? this.madeInvoker : this.invokerSource;
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

  /** Releases what the runtime created (timers, its default store, an invoker its factory made); idempotent. */
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
    await this.madeInvoker?.close?.();
  }
}
