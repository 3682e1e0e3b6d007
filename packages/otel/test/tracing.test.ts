import { CacheResult, PIPELINE_CONTEXT, Retry, Tool, ValidateInput } from '@aiecs/core';
import { BaseTool, createApp, type App } from '@aiecs/executor';
import { IsString } from '@aiecs/validation';
import { context, diag, DiagLogLevel, trace, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { OtelTracing, sha256Id } from '../src';

class KeyInput {
  @IsString() key!: string;
}

@Tool({ name: 'orders' })
class OrdersTool extends BaseTool {
  flakyFailures = 0;
  /** Spans the method body starts, to check they nest under the call's span. */
  innerTracer: Tracer | undefined;
  release: (() => void) | undefined;

  @ValidateInput(KeyInput)
  @CacheResult()
  async lookup(input: KeyInput): Promise<string> {
    if (this.innerTracer) this.innerTracer.startSpan('db.query').end();
    return `order ${input.key}`;
  }

  @ValidateInput(KeyInput)
  @CacheResult()
  async gated(input: KeyInput): Promise<string> {
    await new Promise<void>((resolve) => (this.release = resolve));
    return input.key;
  }

  @Retry({ attempts: 3, backoff: 'constant', initialDelayMs: 1, jitter: false })
  async flaky(_input: object, ctx = PIPELINE_CONTEXT): Promise<number> {
    if (this.flakyFailures-- > 0) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    return ctx.attempt;
  }
}

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };
const who = { userId: 'alice', taskId: 'task-7' };

let contextManager: AsyncLocalStorageContextManager;
let exporter: InMemorySpanExporter;
let tracer: Tracer;
const apps: App[] = [];

beforeAll(() => {
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  exporter = new InMemorySpanExporter();
  tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
});
afterAll(() => {
  context.disable();
});
beforeEach(() => exporter.reset());
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function makeApp(options: ConstructorParameters<typeof OtelTracing>[0] = {}): App {
  const app = createApp({ tools: [OrdersTool], listeners: [new OtelTracing({ tracer, ...options })], logger: quietLogger });
  apps.push(app);
  return app;
}

const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
const named = (name: string): ReadableSpan[] => spans().filter((s) => s.name === name);
const childrenOf = (parent: ReadableSpan): ReadableSpan[] =>
  spans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

describe('OtelTracing', () => {
  it("makes one execute_tool span per call, a child of the caller's active span, with the GenAI tool attributes", async () => {
    const app = makeApp();
    await tracer.startActiveSpan('agent turn', async (turn) => {
      await app.run('orders.lookup', { key: 'a' }, who);
      turn.end();
    });
    const [call] = named('execute_tool orders.lookup');
    const [turn] = named('agent turn');
    expect(call!.parentSpanContext?.spanId).toBe(turn!.spanContext().spanId);
    expect(call!.spanContext().traceId).toBe(turn!.spanContext().traceId);
    expect(call!.kind).toBe(0); // SpanKind.INTERNAL
    expect(call!.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'orders.lookup',
      'gen_ai.tool.type': 'function',
      'aiecs.tool': 'orders',
      'aiecs.operation': 'lookup',
      'user.id': 'alice',
      'aiecs.task.id': 'task-7',
      'aiecs.cache.outcome': 'miss',
      'aiecs.attempts': 1,
    });
    expect(call!.status.code).toBe(SpanStatusCode.UNSET);
    // Input values never become attributes.
    expect(JSON.stringify(call!.attributes)).not.toContain('"a"');
  });

  it('records the cache outcome: a hit has no attempt', async () => {
    const app = makeApp();
    await app.run('orders.lookup', { key: 'a' }, who);
    await app.run('orders.lookup', { key: 'a' }, who);
    const calls = named('execute_tool orders.lookup');
    expect(calls.map((s) => [s.attributes['aiecs.cache.outcome'], s.attributes['aiecs.attempts']])).toEqual([
      ['miss', 1],
      ['hit', 0],
    ]);
    expect(childrenOf(calls[1]!).filter((s) => s.name.startsWith('attempt'))).toEqual([]);
  });

  it('makes a child span per attempt, with the error type of each failed one, and retry events on the call span', async () => {
    const app = makeApp();
    app.tool(OrdersTool).flakyFailures = 2;
    await app.run('orders.flaky', {}, who);
    const [call] = named('execute_tool orders.flaky');
    const attempts = childrenOf(call!).sort((a, b) => Number(a.attributes['aiecs.attempt']) - Number(b.attributes['aiecs.attempt']));
    expect(attempts.map((s) => [s.name, s.attributes['aiecs.attempt'], s.attributes['error.type'], s.status.code])).toEqual([
      ['attempt orders.flaky', 1, 'ECONNRESET', SpanStatusCode.ERROR],
      ['attempt orders.flaky', 2, 'ECONNRESET', SpanStatusCode.ERROR],
      ['attempt orders.flaky', 3, undefined, SpanStatusCode.UNSET],
    ]);
    expect(call!.attributes['aiecs.attempts']).toBe(3);
    expect(
      call!.events.filter((e) => e.name === 'aiecs.retry').map((e) => [e.attributes!['aiecs.attempt'], e.attributes!['error.type']]),
    ).toEqual([
      [2, 'ECONNRESET'],
      [3, 'ECONNRESET'],
    ]);
  });

  it('marks a failed call ERROR with error.type, the code the caller received', async () => {
    const app = makeApp();
    app.tool(OrdersTool).flakyFailures = 5;
    await expect(app.run('orders.flaky', {}, who)).rejects.toMatchObject({ code: 'TOOL_EXECUTION' });
    await expect(app.run('orders.lookup', { key: 7 }, who)).rejects.toMatchObject({ code: 'INPUT_VALIDATION' });
    await expect(app.tool(OrdersTool).run('nope' as never, {})).rejects.toMatchObject({ code: 'UNKNOWN_OPERATION' });
    const byName = (name: string) => named(name)[0]!;
    expect(byName('execute_tool orders.flaky')).toMatchObject({
      attributes: expect.objectContaining({ 'error.type': 'TOOL_EXECUTION', 'aiecs.error.kind': 'transient', 'aiecs.attempts': 3 }),
      status: { code: SpanStatusCode.ERROR, message: 'TOOL_EXECUTION' },
    });
    expect(byName('execute_tool orders.lookup').attributes).toMatchObject({
      'error.type': 'INPUT_VALIDATION',
      'aiecs.cache.outcome': 'miss',
      'aiecs.attempts': 0,
    });
    // A call refused at the door gets its span too.
    expect(byName('execute_tool orders.nope').attributes).toMatchObject({ 'error.type': 'UNKNOWN_OPERATION', 'aiecs.attempts': 0 });
  });

  it("runs the method body with the call's span active: its own spans nest under it", async () => {
    const app = makeApp();
    app.tool(OrdersTool).innerTracer = tracer;
    await app.run('orders.lookup', { key: 'z' }, who);
    const [call] = named('execute_tool orders.lookup');
    const [query] = named('db.query');
    expect(query!.parentSpanContext?.spanId).toBe(call!.spanContext().spanId);
  });

  it('hashes user and task ids when asked, or leaves them out', async () => {
    await makeApp({ hashIds: true }).run('orders.lookup', { key: 'h' }, who);
    await makeApp({ omitIds: true }).run('orders.lookup', { key: 'h' }, who);
    const [hashed, omitted] = named('execute_tool orders.lookup');
    expect(hashed!.attributes['user.id']).toBe(sha256Id('alice'));
    expect(hashed!.attributes['aiecs.task.id']).toBe(sha256Id('task-7'));
    expect(hashed!.attributes['user.id']).not.toBe('alice');
    expect(omitted!.attributes).not.toHaveProperty('user.id');
    expect(omitted!.attributes).not.toHaveProperty('aiecs.task.id');
  });

  it('gives each caller sharing a single flight its own span; the attempts are under the caller that started it', async () => {
    const app = makeApp();
    const tool = app.tool(OrdersTool);
    const first = app.run('orders.gated', { key: 'k' }, who);
    const second = app.run('orders.gated', { key: 'k' }, who);
    await new Promise((resolve) => setImmediate(resolve));
    tool.release!();
    await Promise.all([first, second]);
    const calls = named('execute_tool orders.gated');
    expect(calls).toHaveLength(2);
    expect(calls.map((s) => s.attributes['aiecs.attempts'])).toEqual([1, 1]);
    expect(calls.map((s) => childrenOf(s).length).sort()).toEqual([0, 1]);
  });

  it("sets gen_ai.tool.call.id to the caller's toolCallId (as given, even with hashIds), and leaves it out without one", async () => {
    const app = makeApp({ hashIds: true });
    await app.run('orders.lookup', { key: 'c' }, { ...who, toolCallId: 'call_7Qx' });
    await app.run('orders.lookup', { key: 'c' }, who); // a hit, without an id
    const [withId, withoutId] = named('execute_tool orders.lookup');
    expect(withId!.attributes['gen_ai.tool.call.id']).toBe('call_7Qx');
    expect(withoutId!.attributes['aiecs.cache.outcome']).toBe('hit');
    expect(withoutId!.attributes).not.toHaveProperty('gen_ai.tool.call.id');
  });

  it('gives each caller sharing a single flight the span of its own toolCallId', async () => {
    const app = makeApp();
    const tool = app.tool(OrdersTool);
    const first = app.run('orders.gated', { key: 'id' }, { ...who, toolCallId: 'call_1' });
    const second = app.run('orders.gated', { key: 'id' }, { ...who, toolCallId: 'call_2' });
    await new Promise((resolve) => setImmediate(resolve));
    tool.release!();
    await Promise.all([first, second]);
    const ids = named('execute_tool orders.gated').map((s) => s.attributes['gen_ai.tool.call.id']);
    expect(ids.sort()).toEqual(['call_1', 'call_2']);
  });

  it('uses the global tracer provider when given no tracer', async () => {
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    expect(trace.setGlobalTracerProvider(provider)).toBe(true);
    try {
      const app = createApp({ tools: [OrdersTool], listeners: [new OtelTracing()], logger: quietLogger });
      apps.push(app);
      await app.run('orders.lookup', { key: 'g2' }, who);
      const global = named('execute_tool orders.lookup').find((s) => s.instrumentationScope.name === '@aiecs/otel');
      expect(global).toBeDefined();
    } finally {
      trace.disable();
    }
  });

  it('without a context manager, warns once and still ends bare spans', async () => {
    const warnings: string[] = [];
    context.disable();
    diag.setLogger(
      { warn: (message: string) => void warnings.push(message), error() {}, info() {}, debug() {}, verbose() {} },
      DiagLogLevel.WARN,
    );
    try {
      const app = makeApp();
      await app.run('orders.lookup', { key: 'n1' }, who);
      await app.run('orders.lookup', { key: 'n2' }, who);
      expect(named('execute_tool orders.lookup')).toHaveLength(2);
      expect(warnings.filter((w) => w.includes('no OpenTelemetry context manager'))).toHaveLength(1);
    } finally {
      diag.disable();
      context.setGlobalContextManager(contextManager.enable());
    }
  });

  it('refuses a bad option with a ConfigurationError', () => {
    expect(() => new OtelTracing({ tracer: {} as Tracer })).toThrow('tracer');
    expect(() => new OtelTracing({ hashIds: 'yes' as never })).toThrow('hashIds');
  });
});
