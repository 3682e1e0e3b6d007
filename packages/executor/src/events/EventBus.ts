import {
  TOOL_EVENT_NAMES,
  type CallScope,
  type CallStartedEvent,
  type ToolEventListener,
  type ToolEventMap,
  type ToolEventName,
} from './ToolEvents';

type Handler<E extends ToolEventName> = (event: ToolEventMap[E]) => void;
type Handlers = { [E in ToolEventName]: Array<Handler<E>> };

function emptyHandlers(): Handlers {
  return Object.fromEntries(TOOL_EVENT_NAMES.map((name) => [name, []])) as unknown as Handlers;
}

type Wanted = { [E in ToolEventName]: boolean };

/**
 * Delivers events to listeners. Stages ask `wants(name)` before building an event, so an event nobody
 * listens to costs one property read. A tool's bus forwards to its runtime's bus (its parent), so
 * the app's listeners see every tool's events and a tool's own metrics see only its own.
 */
export class EventBus {
  private readonly handlers: Handlers = emptyHandlers();
  private parent: EventBus | undefined;
  private readonly children = new Set<EventBus>();
  // Recomputed on (un)subscription here or in a parent: `wants` is on every call's path.
  private readonly wanted: Wanted = Object.fromEntries(TOOL_EVENT_NAMES.map((name) => [name, false])) as Wanted;
  /** Listeners of `callEnded` here that read its `durationMs`. */
  private timedListeners = 0;
  private timed = false;
  /** `aroundCall` scopes of this bus's listeners, and those of this bus and its parents (outermost first). */
  private readonly ownScopes: CallScope[] = [];
  private scopes: readonly CallScope[] = [];

  constructor(parent?: EventBus) {
    if (parent !== undefined) this.attachTo(parent);
  }

  /** Forwards this bus's events to `parent` from now on. */
  attachTo(parent: EventBus): void {
    this.parent?.children.delete(this);
    this.parent = parent;
    parent.children.add(this);
    this.refresh();
  }

  /** Stops forwarding to the parent (a closed tool leaves its runtime's bus). */
  detach(): void {
    this.parent?.children.delete(this);
    this.parent = undefined;
    this.refresh();
  }

  /** Subscribes `listener` to the events it implements; returns the unsubscribe function. */
  subscribe(listener: ToolEventListener): () => void {
    if (listener === null || typeof listener !== 'object') throw new TypeError('an event listener must be an object of event handlers');
    const added: Array<[ToolEventName, Handler<never>]> = [];
    for (const name of TOOL_EVENT_NAMES) {
      const method = listener[name] as Handler<never> | undefined;
      if (typeof method !== 'function') continue;
      const handler = method.bind(listener) as Handler<never>;
      (this.handlers[name] as Handler<never>[]).push(handler);
      added.push([name, handler]);
    }
    const timed = typeof listener.callEnded === 'function' && listener.timings !== false;
    if (timed) this.timedListeners++;
    const scope = typeof listener.aroundCall === 'function' ? (listener.aroundCall.bind(listener) as CallScope) : undefined;
    if (scope !== undefined) this.ownScopes.push(scope);
    this.refresh();
    return () => {
      if (timed) this.timedListeners--;
      if (scope !== undefined && this.ownScopes.includes(scope)) this.ownScopes.splice(this.ownScopes.indexOf(scope), 1);
      for (const [name, handler] of added) {
        const list = this.handlers[name] as Handler<never>[];
        const index = list.indexOf(handler);
        if (index >= 0) list.splice(index, 1);
      }
      this.refresh();
    };
  }

  /** True when some listener (here or in a parent) handles `name`. */
  wants(name: ToolEventName): boolean {
    return this.wanted[name];
  }

  /** True when some listener (here or in a parent) reads `callEnded`'s duration. */
  wantsTimings(): boolean {
    return this.timed;
  }

  /** True when some listener (here or in a parent) runs calls in a scope of its own (`aroundCall`). */
  wantsScopes(): boolean {
    return this.scopes.length > 0;
  }

  /**
   * Runs `work` inside every listener's `aroundCall` scope, the parents' outermost, and returns its
   * promise. `work` runs exactly once, whatever the scopes do (see `CallScope`).
   */
  runInScopes<T>(event: CallStartedEvent, work: () => Promise<T>): Promise<T> {
    let run = work;
    for (let i = this.scopes.length - 1; i >= 0; i--) run = withinScope(this.scopes[i]!, event, run);
    return run();
  }

  private refresh(): void {
    for (const name of TOOL_EVENT_NAMES) this.wanted[name] = this.handlers[name].length > 0 || (this.parent?.wanted[name] ?? false);
    this.timed = this.timedListeners > 0 || (this.parent?.timed ?? false);
    this.scopes = [...(this.parent?.scopes ?? []), ...this.ownScopes];
    for (const child of this.children) child.refresh();
  }

  /** Delivers `event` to this bus's listeners, then the parent's. A listener that throws is skipped. */
  emit<E extends ToolEventName>(name: E, event: ToolEventMap[E]): void {
    const list = this.handlers[name];
    for (let i = 0; i < list.length; i++) {
      try {
        list[i]!(event);
      } catch {
        // A listener's failure must never fail or slow the call it observes.
      }
    }
    if (this.parent !== undefined) this.parent.emit(name, event);
  }
}

/** `inner`, run once inside `scope`; a scope that throws or never calls `run` is bypassed, never the call. */
function withinScope<T>(scope: CallScope, event: CallStartedEvent, inner: () => Promise<T>): () => Promise<T> {
  return () => {
    let result: Promise<T> | undefined;
    const run = (): Promise<T> => (result ??= inner());
    try {
      scope(event, run);
    } catch {
      // A listener's failure must never fail the call it observes.
    }
    return run();
  };
}
