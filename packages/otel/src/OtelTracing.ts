import { ConfigurationError } from '@aiecs/core';
import {
  errorTypeOf,
  type AttemptEndedEvent,
  type AttemptStartedEvent,
  type BulkheadRejectedEvent,
  type CacheErrorEvent,
  type CallEndedEvent,
  type CallStartedEvent,
  type CircuitStateEvent,
  type FallbackEvent,
  type RetryEvent,
  type TimeoutEvent,
  type ToolEventBase,
  type ToolEventListener,
} from '@aiecs/executor';
import { context, diag, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { ATTR, EXECUTE_TOOL } from './attributes';
import { idMapper, type IdPolicy } from './hashIds';

/** Options of {@link OtelTracing}. */
export interface OtelTracingOptions {
  /** Where spans go (default: the global tracer provider's `@aiecs/otel` tracer). */
  readonly tracer?: Tracer;
  /**
   * User and task ids on the call span: `false` (default) records them as they are (`user.id`,
   * `aiecs.task.id`); `true` records a SHA-256 prefix instead; a function maps them your way.
   */
  readonly hashIds?: IdPolicy;
  /** Leave user and task ids out of spans altogether (default false). */
  readonly omitIds?: boolean;
  /** A child span per attempt (default true). */
  readonly attemptSpans?: boolean;
}

/** What a call span carries while its call runs. */
interface CallSpan {
  readonly span: Span;
  attempt: Span | undefined;
  ended: boolean;
}

const TRACER_NAME = '@aiecs/otel';
const TRACER_VERSION = '0.1.0';

/**
 * OpenTelemetry spans for tool calls, fed by the runtime's events (no stage knows about it): one
 * `execute_tool {tool}.{operation}` span per call (kind INTERNAL) whose parent is the caller's active
 * context, with the GenAI tool-execution attributes (`gen_ai.tool.call.id` when the caller passed
 * `toolCallId`), the cache outcome, the number of attempts and the
 * error code; a child span per attempt; retries, timeouts and circuit changes as span events. The call
 * runs with its span active (the listener's `aroundCall` scope), so spans the method body starts (HTTP,
 * database) nest under it. Needs a context manager, as all OpenTelemetry instrumentation on Node does
 * (the SDK's `NodeTracerProvider.register()` and `NodeSDK` install one); without one it warns once and
 * records bare spans. Input and output values are never recorded.
 *
 * @example
 * ```ts
 * await using app = createApp({ tools: [FileTool], listeners: [new OtelTracing({ hashIds: true })] });
 * await app.run('file.read', { path: 'a.txt' }, { userId: 'u1' }); // span "execute_tool file.read"
 * ```
 */
export class OtelTracing implements ToolEventListener {
  /** Reads no durations: spans keep their own clock. */
  readonly timings = false;
  private readonly tracer: Tracer;
  private readonly mapId: ((id: string) => string) | undefined;
  private readonly omitIds: boolean;
  private readonly attemptSpans: boolean;
  private readonly calls = new WeakMap<Span, CallSpan>();
  private warnedNoContext = false;

  constructor(options: OtelTracingOptions = {}) {
    if (options === null || typeof options !== 'object') throw new ConfigurationError('otel', options, 'expected an options object');
    if (options.tracer !== undefined && typeof options.tracer?.startSpan !== 'function')
      throw new ConfigurationError('tracer', options.tracer, 'expected an OpenTelemetry Tracer');
    this.tracer = options.tracer ?? trace.getTracer(TRACER_NAME, TRACER_VERSION);
    this.mapId = idMapper(options.hashIds);
    this.omitIds = options.omitIds === true;
    this.attemptSpans = options.attemptSpans !== false;
  }

  /** Starts the call's span under the caller's context and runs the call with it active. */
  readonly aroundCall = (event: CallStartedEvent, run: () => Promise<unknown>): void => {
    const parent = context.active();
    const span = this.tracer.startSpan(
      `${EXECUTE_TOOL} ${event.tool}.${event.operation}`,
      { kind: SpanKind.INTERNAL, attributes: this.startAttributes(event) },
      parent,
    );
    const state: CallSpan = { span, attempt: undefined, ended: false };
    this.calls.set(span, state);
    context.with(trace.setSpan(parent, span), () => {
      if (trace.getSpan(context.active()) !== span) this.warnNoContextManager();
      const finish = (): void => this.end(state);
      run().then(finish, finish);
    });
  };

  readonly callEnded = (e: CallEndedEvent): void => {
    const state = this.current();
    if (state === undefined) return;
    const { span } = state;
    span.setAttribute(ATTR.attempts, e.attempt);
    if (e.cache !== undefined) span.setAttribute(ATTR.cacheOutcome, e.cache);
    if (e.outcome === 'failure') {
      const type = e.errorCode ?? 'UNKNOWN';
      span.setAttribute(ATTR.errorType, type);
      if (e.errorKind !== undefined) span.setAttribute(ATTR.errorKind, e.errorKind);
      span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    }
    this.end(state);
  };

  readonly attemptStarted = (e: AttemptStartedEvent): void => {
    if (!this.attemptSpans) return;
    const state = this.current();
    // A flight that outlives its first caller's span (the caller left at its deadline) records no more attempts.
    if (state === undefined || state.ended) return;
    state.attempt = this.tracer.startSpan(
      `attempt ${e.tool}.${e.operation}`,
      { kind: SpanKind.INTERNAL, attributes: { [ATTR.attempt]: e.attempt } },
      context.active(),
    );
  };

  readonly attemptEnded = (e: AttemptEndedEvent): void => {
    const state = this.current();
    const attempt = state?.attempt;
    if (attempt === undefined) return;
    state!.attempt = undefined;
    if (e.outcome === 'failure') {
      attempt.setAttribute(ATTR.errorType, e.errorType ?? 'UNKNOWN');
      attempt.setStatus({ code: SpanStatusCode.ERROR, message: e.errorType });
    }
    attempt.end();
  };

  readonly retry = (e: RetryEvent): void =>
    this.addEvent('aiecs.retry', {
      [ATTR.attempt]: e.attempt,
      'aiecs.retry.delay_ms': Math.round(e.delayMs),
      [ATTR.errorType]: errorTypeOf(e.error),
    });

  readonly timeout = (e: TimeoutEvent): void =>
    this.addEvent('aiecs.timeout', { 'aiecs.timeout.scope': e.scope, 'aiecs.timeout.ms': e.timeoutMs, [ATTR.attempt]: e.attempt });

  readonly cacheError = (e: CacheErrorEvent): void =>
    this.addEvent('aiecs.cache.error', { 'aiecs.cache.action': e.action, [ATTR.errorType]: errorTypeOf(e.error) });

  readonly circuitStateChanged = (e: CircuitStateEvent): void =>
    this.addEvent('aiecs.circuit', { 'aiecs.circuit.state': e.state, 'aiecs.circuit.previous': e.previous });

  readonly bulkheadRejected = (e: BulkheadRejectedEvent): void =>
    this.addEvent('aiecs.bulkhead.rejected', { 'aiecs.bulkhead.limit': e.limit, 'aiecs.bulkhead.queue': e.queue });

  readonly fallbackUsed = (e: FallbackEvent): void => {
    const state = this.current();
    state?.span.setAttribute(ATTR.fallback, true);
    state?.span.addEvent('aiecs.fallback', { [ATTR.errorType]: errorTypeOf(e.error) });
  };

  private startAttributes(event: ToolEventBase): Attributes {
    const attributes: Attributes = {
      [ATTR.operationName]: EXECUTE_TOOL,
      [ATTR.toolName]: `${event.tool}.${event.operation}`,
      [ATTR.toolType]: 'function',
      [ATTR.tool]: event.tool,
      [ATTR.operation]: event.operation,
    };
    // The model's id, not a person's: kept as given (neither hashed nor omitted with the user and task ids).
    if (event.toolCallId !== undefined) attributes[ATTR.toolCallId] = event.toolCallId;
    if (!this.omitIds) {
      attributes[ATTR.userId] = this.mapId === undefined ? event.userId : this.mapId(event.userId);
      attributes[ATTR.taskId] = this.mapId === undefined ? event.taskId : this.mapId(event.taskId);
    }
    return attributes;
  }

  /** The span of the call whose event is being delivered: the active one, when it is ours. */
  private current(): CallSpan | undefined {
    const span = trace.getSpan(context.active());
    return span === undefined ? undefined : this.calls.get(span);
  }

  private addEvent(name: string, attributes: Attributes): void {
    this.current()?.span.addEvent(name, attributes);
  }

  private end(state: CallSpan): void {
    if (state.ended) return;
    state.ended = true;
    state.attempt?.end();
    state.span.end();
  }

  private warnNoContextManager(): void {
    if (this.warnedNoContext) return;
    this.warnedNoContext = true;
    diag.warn(
      "@aiecs/otel: no OpenTelemetry context manager is registered, so tool spans get no cache, attempt or error details and the method body's spans do not nest under them; register one (NodeTracerProvider.register(), NodeSDK, or AsyncLocalStorageContextManager)",
    );
  }
}
