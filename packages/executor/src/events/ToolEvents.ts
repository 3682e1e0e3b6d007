import type { ErrorKind } from '@aiecs/core';

/** What every event carries: where, for whom, and which attempt (0 before the first attempt starts). */
export interface ToolEventBase {
  readonly tool: string;
  readonly operation: string;
  readonly userId: string;
  readonly taskId: string;
  readonly attempt: number;
  /** The model's id for this tool call, when the caller gave one (`CallOptions.toolCallId`). */
  readonly toolCallId?: string;
}

/** A call entered the pipeline. */
export type CallStartedEvent = ToolEventBase;

/**
 * What the cache did for a call of a cached operation: `hit`; `miss` (the method ran); `error` (the store
 * failed or was too slow, so the call went on as a miss); `bypass` (the input has no cache key).
 */
export type CacheOutcome = 'hit' | 'miss' | 'error' | 'bypass';

/**
 * A call settled. `durationMs` runs from the door to the settlement, cache hits included (`NaN` when no
 * listener reads timings); `attempt` is the number of attempts made (0 for a hit or a refused call).
 */
export interface CallEndedEvent extends ToolEventBase {
  readonly durationMs: number;
  readonly outcome: 'success' | 'failure';
  /** `code` of the error the caller received (failures only). */
  readonly errorCode?: string;
  /** `kind` of that error (failures only). */
  readonly errorKind?: ErrorKind;
  /** What the cache did; absent when the operation is not cached (or caching is off). */
  readonly cache?: CacheOutcome;
}

/** An attempt is starting: the method body is handed to the invoker (`attempt` is its number). */
export type AttemptStartedEvent = ToolEventBase;

/**
 * An attempt settled: how long the method body ran (from the invoker's start to its settlement), how it
 * ended, and, on failure, what it threw, as a type name (`errorType`: the error's `code` when it is a
 * string, such as `TIMEOUT` or `ENOENT`, else its class name) and its retry kind.
 */
export interface AttemptEndedEvent extends ToolEventBase {
  readonly durationMs: number;
  readonly outcome: 'success' | 'failure';
  readonly errorType?: string;
  readonly errorKind?: ErrorKind;
}

/** A cache lookup hit, missed, or a result was stored. */
export type CacheEvent = ToolEventBase;

/** The cache store failed (or timed out); the call went on without it (a `get` as a miss). */
export interface CacheErrorEvent extends ToolEventBase {
  readonly action: 'get' | 'set';
  readonly error: unknown;
  /**
   * True for the first failure of this action on this store after a success (or the first ever):
   * the start of an outage, which logs report once; false while the outage lasts.
   */
  readonly firstInOutage: boolean;
}

/** A retry is starting: `attempt` is its number, `delayMs` the wait since the failure, `error` that failure. */
export interface RetryEvent extends ToolEventBase {
  readonly delayMs: number;
  readonly error: unknown;
}

/** A deadline passed: the whole call's (`call`) or one attempt's (`attempt`). */
export interface TimeoutEvent extends ToolEventBase {
  readonly scope: 'call' | 'attempt';
  readonly timeoutMs: number;
}

/** Name of a circuit breaker state. */
export type CircuitStateName = 'closed' | 'open' | 'half-open' | 'isolated';

/** An operation's circuit changed state (seen at the end of the call that changed it). */
export interface CircuitStateEvent extends ToolEventBase {
  readonly state: CircuitStateName;
  readonly previous: CircuitStateName;
}

/** The bulkhead was full: the call was refused without running. */
export interface BulkheadRejectedEvent extends ToolEventBase {
  readonly limit: number;
  readonly queue: number;
}

/** The operation failed and `@Fallback` answered instead. */
export interface FallbackEvent extends ToolEventBase {
  readonly error: unknown;
}

/** `@MeasureTime` (or `logExecutionTime`) timed one attempt. */
export interface AttemptMeasuredEvent extends ToolEventBase {
  readonly durationMs: number;
  readonly outcome: 'success' | 'failure';
}

/** An operation's result carried instruction-like content (prompt injection); see SECURITY.md. */
export interface UntrustedOutputEvent extends ToolEventBase {
  /** Dotted path of the first flagged string in the result (`(output)` for a string result). */
  readonly field: string;
  /** The check that matched (`promptInjection.ignorePrevious`, …). */
  readonly check: string;
  readonly reason: string;
  /** Flagged strings in the result. */
  readonly count: number;
  /** What the output screen did: reported only, refused the result, or wrapped the flagged strings. */
  readonly action: 'report' | 'refuse' | 'wrap';
}

/** Every event by name. */
export interface ToolEventMap {
  callStarted: CallStartedEvent;
  callEnded: CallEndedEvent;
  cacheHit: CacheEvent;
  cacheMiss: CacheEvent;
  cacheStored: CacheEvent;
  cacheError: CacheErrorEvent;
  retry: RetryEvent;
  timeout: TimeoutEvent;
  circuitStateChanged: CircuitStateEvent;
  bulkheadRejected: BulkheadRejectedEvent;
  fallbackUsed: FallbackEvent;
  attemptMeasured: AttemptMeasuredEvent;
  attemptStarted: AttemptStartedEvent;
  attemptEnded: AttemptEndedEvent;
  untrustedOutput: UntrustedOutputEvent;
}

/** Name of an event. */
export type ToolEventName = keyof ToolEventMap;

/**
 * A subscriber to the runtime's events: implement the events you need. Metrics, logs, Prometheus and
 * OpenTelemetry are all listeners. A listener that throws is ignored (it never fails a call).
 *
 * @example
 * ```ts
 * const app = createApp({ tools: [FileTool], listeners: [{ callEnded: (e) => console.log(e.tool, e.operation, e.durationMs) }] });
 * ```
 */
export type ToolEventListener = { readonly [E in ToolEventName]?: (event: ToolEventMap[E]) => void } & {
  /**
   * `false` when the listener never reads `callEnded`'s `durationMs`. Calls are timed only while some
   * listener of `callEnded` reads durations; otherwise `durationMs` is `NaN`.
   */
  readonly timings?: boolean;
  /** Runs each call inside the listener's async context; see {@link CallScope}. */
  readonly aroundCall?: CallScope;
};

/**
 * Runs a call inside a listener's async context, for tracers: the listener calls `run()` once,
 * synchronously, inside its context (OpenTelemetry: `context.with(trace.setSpan(…), run)`), so the
 * call's events, the attempts and whatever the method body does (its own HTTP or database spans) happen
 * with the listener's context active. `run()` returns the call's promise, for the listener to watch
 * (it must handle its rejection). The listener cannot change what the call returns: its own return value
 * is ignored; if it throws or never calls `run()`, the call runs all the same, outside its context.
 */
export type CallScope = (event: CallStartedEvent, run: () => Promise<unknown>) => void;

/** Every event name, for iteration. */
export const TOOL_EVENT_NAMES: readonly ToolEventName[] = [
  'callStarted',
  'callEnded',
  'cacheHit',
  'cacheMiss',
  'cacheStored',
  'cacheError',
  'retry',
  'timeout',
  'circuitStateChanged',
  'bulkheadRejected',
  'fallbackUsed',
  'attemptMeasured',
  'attemptStarted',
  'attemptEnded',
  'untrustedOutput',
] satisfies readonly (keyof ToolEventMap)[];
