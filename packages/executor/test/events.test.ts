import {
  Bulkhead,
  BulkheadRejectedError,
  CacheResult,
  CircuitBreaker,
  CircuitOpenError,
  Fallback,
  InputValidationError,
  MeasureTime,
  PIPELINE_CONTEXT,
  Retry,
  Timeout,
  TimeoutError,
  ValidateInput,
} from '@aiecs/core';
import { IsString } from '@aiecs/validation';
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  App,
  BaseTool,
  createApp,
  TOOL_EVENT_NAMES,
  type ToolEventBase,
  type ToolEventListener,
  type ToolEventMap,
  type ToolEventName,
  type UserLogger,
} from '../src';
import { quiet, recordingLogger } from './fixtures';

// ---------------------------------------------------------------------------------------------
// Fixtures shared by this file (real timers, short delays)
// ---------------------------------------------------------------------------------------------

const SECRET = 'sk-live-7f3a9c-DO-NOT-LOG';
const RETRY_DELAY_MS = 20;
const TIMEOUT_MS = 20;

class TokenInput {
  @IsString() token!: string;
}

/** Resolves when `signal` aborts (so a timed-out method ends and leaves no timer behind). */
function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** One operation per event the pipeline emits. Registry name `events`. */
class EventsTool extends BaseTool {
  failuresLeft = 0;
  release: (() => void) | undefined;

  @ValidateInput(TokenInput)
  @CacheResult()
  @MeasureTime()
  async cached(input: TokenInput, ctx = PIPELINE_CONTEXT): Promise<string> {
    return `cached for ${ctx.userId} (${input.token.length} chars)`;
  }

  @Retry({ attempts: 3, backoff: 'constant', initialDelayMs: RETRY_DELAY_MS, jitter: false })
  @MeasureTime()
  async flaky(_input: object, ctx = PIPELINE_CONTEXT): Promise<number> {
    if (this.failuresLeft-- > 0) throw new Error(`flaky attempt ${ctx.attempt}`);
    return ctx.attempt;
  }

  @Timeout(TIMEOUT_MS)
  @Retry({ attempts: 1 })
  async slowAttempt(_input: object, ctx = PIPELINE_CONTEXT): Promise<string> {
    await untilAborted(ctx.signal);
    return 'late';
  }

  /** Bounded by the configured `operations.slowCall.timeoutMs`. */
  @Retry({ attempts: 1 })
  async slowCall(_input: object, ctx = PIPELINE_CONTEXT): Promise<string> {
    await untilAborted(ctx.signal);
    return 'late';
  }

  @CircuitBreaker({ threshold: 1, halfOpenAfterMs: 60_000 })
  @Retry({ attempts: 1 })
  async breaker(_input: object): Promise<never> {
    throw new Error('backend down');
  }

  @Bulkhead({ limit: 1 })
  async gated(_input: object): Promise<string> {
    await new Promise<void>((resolve) => (this.release = resolve));
    return 'released';
  }

  @Fallback('fallback value')
  @Retry({ attempts: 1 })
  async withFallback(_input: object): Promise<string> {
    throw new Error('primary failed');
  }

  async broken(_input: object): Promise<never> {
    throw Object.assign(new Error('defect'), { retryable: false });
  }
}

/** Another tool on the same app, to check that metrics stay per tool. */
class OtherTool extends BaseTool {
  @CacheResult()
  async read(input: { key: string }): Promise<string> {
    return `other:${input.key}`;
  }
}

type Recorded = { name: ToolEventName; event: ToolEventBase & Record<string, unknown> };

/** A listener implementing every event, recording them in order. */
function recorder() {
  const events: Recorded[] = [];
  const listener = Object.fromEntries(
    TOOL_EVENT_NAMES.map((name) => [name, (event: ToolEventBase) => void events.push({ name, event: event as Recorded['event'] })]),
  ) as ToolEventListener;
  const of = <E extends ToolEventName>(name: E): ToolEventMap[E][] =>
    events.filter((e) => e.name === name).map((e) => e.event as unknown as ToolEventMap[E]);
  const names = (): ToolEventName[] => events.map((e) => e.name);
  return { events, listener, of, names, reset: () => void events.splice(0) };
}

const who = { userId: 'u1', taskId: 't1' };
const opened: App[] = [];

/** The app under test: EventsTool (with a call deadline on slowCall) and OtherTool. */
function makeApp(options: Partial<Parameters<typeof createApp>[0]> = {}): App {
  const app = createApp({
    logger: quiet.logger,
    ...options,
    tools: [{ tool: EventsTool, config: { operations: { slowCall: { timeoutMs: TIMEOUT_MS } } } }, OtherTool],
  });
  opened.push(app);
  return app;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

// ---------------------------------------------------------------------------------------------

describe('events seen by a listener passed in `listeners`', () => {
  it('callStarted / callEnded on success', async () => {
    const rec = recorder();
    const app = makeApp({ listeners: [rec.listener] });
    await expect(app.run('events.flaky', {}, who)).resolves.toBe(1);
    expect(rec.names()).toEqual(['callStarted', 'attemptStarted', 'attemptEnded', 'attemptMeasured', 'callEnded']);
    expect(rec.of('callStarted')).toEqual([{ tool: 'events', operation: 'flaky', userId: 'u1', taskId: 't1', attempt: 0 }]);
    const [ended] = rec.of('callEnded');
    expect(ended).toMatchObject({ tool: 'events', operation: 'flaky', userId: 'u1', taskId: 't1', attempt: 1, outcome: 'success' });
    expect(ended!.durationMs).toBeGreaterThanOrEqual(0);
    expect(ended!.errorCode).toBeUndefined();
    expect(ended!.errorKind).toBeUndefined();
  });

  it('callEnded on failure carries the code and kind of the error the caller received', async () => {
    const rec = recorder();
    const app = makeApp({ listeners: [rec.listener] });
    const error = await app.run('events.broken', {}, who).catch((e: unknown) => e);
    expect(rec.of('callEnded')).toEqual([
      expect.objectContaining({ operation: 'broken', outcome: 'failure', errorCode: 'TOOL_EXECUTION', errorKind: 'internal', attempt: 1 }),
    ]);
    expect(error).toMatchObject({ code: 'TOOL_EXECUTION', kind: 'internal' });

    await expect(app.run('events.cached', { token: 42 }, who)).rejects.toBeInstanceOf(InputValidationError);
    expect(rec.of('callEnded')[1]).toMatchObject({
      operation: 'cached',
      outcome: 'failure',
      errorCode: 'INPUT_VALIDATION',
      errorKind: 'caller',
      attempt: 0,
    });
    // Every callStarted is matched by one callEnded.
    expect(rec.of('callStarted')).toHaveLength(2);
  });

  it('cacheMiss / cacheStored, then cacheHit; user and task are part of each event', async () => {
    const rec = recorder();
    const app = makeApp({ listeners: [rec.listener] });
    await app.run('events.cached', { token: 'abc' }, who);
    expect(rec.names()).toEqual([
      'callStarted',
      'cacheMiss',
      'attemptStarted',
      'attemptEnded',
      'attemptMeasured',
      'cacheStored',
      'callEnded',
    ]);
    expect(rec.of('cacheMiss')).toEqual([{ tool: 'events', operation: 'cached', userId: 'u1', taskId: 't1', attempt: 0 }]);
    expect(rec.of('cacheStored')).toEqual([{ tool: 'events', operation: 'cached', userId: 'u1', taskId: 't1', attempt: 1 }]);

    rec.reset();
    await app.run('events.cached', { token: 'abc' }, who);
    expect(rec.names()).toEqual(['callStarted', 'cacheHit', 'callEnded']);
    expect(rec.of('cacheHit')).toEqual([{ tool: 'events', operation: 'cached', userId: 'u1', taskId: 't1', attempt: 0 }]);
    expect(rec.of('callEnded')[0]).toMatchObject({ outcome: 'success', attempt: 0 });

    rec.reset();
    await app.run('events.cached', { token: 'abc' }, { userId: 'u2', taskId: 't1' }); // another user: a miss
    expect(rec.of('cacheMiss')).toEqual([expect.objectContaining({ userId: 'u2' })]);
    expect(rec.of('cacheHit')).toEqual([]);
  });

  it('retry: the number of the attempt that starts, the delay since the failure, and that failure', async () => {
    const rec = recorder();
    const app = makeApp({ listeners: [rec.listener] });
    app.tool(EventsTool).failuresLeft = 2;
    await expect(app.run('events.flaky', {}, who)).resolves.toBe(3);

    const retries = rec.of('retry');
    expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
    for (const [i, r] of retries.entries()) {
      expect(r).toMatchObject({ tool: 'events', operation: 'flaky', userId: 'u1', taskId: 't1' });
      expect(r.error).toBeInstanceOf(Error);
      expect((r.error as Error).message).toBe(`flaky attempt ${i + 1}`);
      expect(r.delayMs).toBeGreaterThanOrEqual(RETRY_DELAY_MS - 5);
      expect(r.delayMs).toBeLessThan(RETRY_DELAY_MS + 1_000);
    }
    expect(rec.of('attemptMeasured').map((m) => [m.attempt, m.outcome])).toEqual([
      [1, 'failure'],
      [2, 'failure'],
      [3, 'success'],
    ]);
    for (const m of rec.of('attemptMeasured')) expect(m.durationMs).toBeGreaterThanOrEqual(0);
    expect(rec.names()).toEqual([
      'callStarted',
      ...['attemptStarted', 'attemptEnded', 'attemptMeasured', 'retry'],
      ...['attemptStarted', 'attemptEnded', 'attemptMeasured', 'retry'],
      ...['attemptStarted', 'attemptEnded', 'attemptMeasured'],
      'callEnded',
    ]);
    expect(rec.of('callEnded')[0]).toMatchObject({ outcome: 'success', attempt: 3 });
  });

  it("timeout: scope 'attempt' for @Timeout, scope 'call' for the call deadline", async () => {
    const rec = recorder();
    const app = makeApp({ listeners: [rec.listener] });
    await expect(app.run('events.slowAttempt', {}, who)).rejects.toBeInstanceOf(TimeoutError);
    expect(rec.of('timeout')).toEqual([
      { tool: 'events', operation: 'slowAttempt', userId: 'u1', taskId: 't1', attempt: 1, scope: 'attempt', timeoutMs: TIMEOUT_MS },
    ]);

    rec.reset();
    await expect(app.run('events.slowCall', {}, who)).rejects.toBeInstanceOf(TimeoutError);
    expect(rec.of('timeout')).toEqual([
      { tool: 'events', operation: 'slowCall', userId: 'u1', taskId: 't1', attempt: 1, scope: 'call', timeoutMs: TIMEOUT_MS },
    ]);
    expect(rec.of('callEnded')[0]).toMatchObject({ outcome: 'failure', errorCode: 'TIMEOUT' });
  });

  it('circuitStateChanged: closed → open, reported by the call that opened it', async () => {
    const rec = recorder();
    const app = makeApp({ listeners: [rec.listener] });
    await expect(app.run('events.breaker', {}, who)).rejects.toThrow('backend down');
    expect(rec.of('circuitStateChanged')).toEqual([
      { tool: 'events', operation: 'breaker', userId: 'u1', taskId: 't1', attempt: 1, previous: 'closed', state: 'open' },
    ]);
    await expect(app.run('events.breaker', {}, { userId: 'u9' })).rejects.toBeInstanceOf(CircuitOpenError);
    expect(rec.of('circuitStateChanged')).toHaveLength(1); // still open: no new change
    expect(rec.of('callEnded')[1]).toMatchObject({ userId: 'u9', errorCode: 'CIRCUIT_OPEN', errorKind: 'rejected', attempt: 0 });
  });

  it('bulkheadRejected: the limit and queue of the full bulkhead', async () => {
    const rec = recorder();
    const app = makeApp({ listeners: [rec.listener] });
    const first = app.run('events.gated', {}, who);
    await tick();
    await expect(app.run('events.gated', {}, who)).rejects.toBeInstanceOf(BulkheadRejectedError);
    expect(rec.of('bulkheadRejected')).toEqual([
      { tool: 'events', operation: 'gated', userId: 'u1', taskId: 't1', attempt: 0, limit: 1, queue: 0 },
    ]);
    app.tool(EventsTool).release!();
    await expect(first).resolves.toBe('released');
  });

  it('fallbackUsed: the error the fallback replaced', async () => {
    const rec = recorder();
    const app = makeApp({ listeners: [rec.listener] });
    await expect(app.run('events.withFallback', {}, who)).resolves.toBe('fallback value');
    const [used] = rec.of('fallbackUsed');
    expect(used).toMatchObject({ tool: 'events', operation: 'withFallback', userId: 'u1', taskId: 't1', attempt: 1 });
    expect((used!.error as Error).message).toBe('primary failed');
    expect(rec.of('callEnded')[0]).toMatchObject({ outcome: 'success' });
  });

  it('every event carries tool, operation, userId, taskId and attempt', async () => {
    const rec = recorder();
    const app = makeApp({ listeners: [rec.listener] });
    app.tool(EventsTool).failuresLeft = 1;
    await app.run('events.flaky', {}, who);
    await app.run('events.cached', { token: 'x' }, who);
    await app.run('events.cached', { token: 'x' }, who);
    await app.run('events.slowAttempt', {}, who).catch(() => undefined);
    await app.run('events.breaker', {}, who).catch(() => undefined);
    await app.run('events.withFallback', {}, who);
    const seen = new Set(rec.names());
    for (const name of [
      'callStarted',
      'callEnded',
      'cacheMiss',
      'cacheStored',
      'cacheHit',
      'retry',
      'timeout',
      'circuitStateChanged',
      'fallbackUsed',
      'attemptMeasured',
    ] as const) {
      expect(seen).toContain(name);
    }
    for (const { name, event } of rec.events) {
      expect({ name, ...event }).toEqual(
        expect.objectContaining({
          name,
          tool: 'events',
          operation: expect.any(String),
          userId: 'u1',
          taskId: 't1',
          attempt: expect.any(Number),
        }),
      );
    }
  });
});

describe('subscribing', () => {
  it('app.subscribe(listener) returns an unsubscribe that works', async () => {
    const rec = recorder();
    const app = makeApp();
    const unsubscribe = app.subscribe(rec.listener);
    await app.run('events.flaky', {}, who);
    await app.run('other.read', { key: 'k' }, who);
    expect(rec.of('callEnded').map((e) => e.tool)).toEqual(['events', 'other']);
    unsubscribe();
    await app.run('events.flaky', {}, who);
    expect(rec.of('callEnded')).toHaveLength(2);
    unsubscribe(); // twice is harmless
  });

  it('a listener that throws does not fail the call, nor keep other listeners from their events', async () => {
    const thrower = Object.fromEntries(
      TOOL_EVENT_NAMES.map((name) => [
        name,
        () => {
          throw new Error(`listener failed on ${name}`);
        },
      ]),
    ) as ToolEventListener;
    const rec = recorder();
    const app = makeApp({ listeners: [thrower, rec.listener] });
    app.subscribe(thrower);
    app.tool(EventsTool).failuresLeft = 1;
    await expect(app.run('events.flaky', {}, who)).resolves.toBe(2);
    await expect(app.run('events.cached', { token: 'x' }, who)).resolves.toMatch(/cached/);
    await expect(app.run('events.cached', { token: 'x' }, who)).resolves.toMatch(/cached/);
    await expect(app.run('events.withFallback', {}, who)).resolves.toBe('fallback value');
    expect(rec.of('callEnded').map((e) => e.outcome)).toEqual(['success', 'success', 'success', 'success']);
    expect(rec.of('retry')).toHaveLength(1);
    expect(rec.of('cacheHit')).toHaveLength(1);
  });
});

describe('metrics', () => {
  it('getMetrics() matches what a listener counted, per tool and per operation', async () => {
    const rec = recorder();
    const app = makeApp({ listeners: [rec.listener] });
    app.tool(EventsTool).failuresLeft = 2;
    await app.run('events.flaky', {}, who);
    await app.run('events.cached', { token: 'a' }, who);
    await app.run('events.cached', { token: 'a' }, who);
    await app.run('events.cached', { token: 'b' }, who);
    await app.run('events.slowAttempt', {}, who).catch(() => undefined);
    await app.run('events.slowCall', {}, who).catch(() => undefined);
    await app.run('events.broken', {}, who).catch(() => undefined);
    await app.run('other.read', { key: 'k' }, who);

    const count = (name: ToolEventName, tool: string, operation?: string) =>
      rec.events.filter((e) => e.name === name && e.event.tool === tool && (operation === undefined || e.event.operation === operation))
        .length;
    const failures = (tool: string) => rec.of('callEnded').filter((e) => e.tool === tool && e.outcome === 'failure').length;

    const metrics = app.getMetrics();
    expect(Object.keys(metrics)).toEqual(['events', 'other']);
    const events = metrics.events!;
    expect(events).toMatchObject({
      requests: count('callEnded', 'events'),
      failures: failures('events'),
      cacheHits: count('cacheHit', 'events'),
      cacheMisses: count('cacheMiss', 'events'),
      retries: count('retry', 'events'),
      timeouts: count('timeout', 'events'),
    });
    // And the numbers themselves, so the comparison above cannot pass on two empty sets.
    expect(events).toMatchObject({ requests: 7, failures: 3, cacheHits: 1, cacheMisses: 2, retries: 2, timeouts: 2 });
    expect(events.byOperation.flaky).toMatchObject({ requests: 1, retries: 2, measured: count('attemptMeasured', 'events', 'flaky') });
    expect(events.byOperation.cached).toMatchObject({ requests: 3, cacheHits: 1, cacheMisses: 2 });
    expect(events.byOperation.read).toBeUndefined(); // OtherTool's operation is not EventsTool's

    expect(metrics.other).toMatchObject({ requests: 1, failures: 0, cacheHits: 0, cacheMisses: 1, retries: 0, timeouts: 0 });
    expect(Object.keys(metrics.other!.byOperation)).toEqual(['read']);
    expect(app.tool(OtherTool).executor.getMetrics()).toEqual(metrics.other);
  });
});

// ---------------------------------------------------------------------------------------------
// Logging
// ---------------------------------------------------------------------------------------------

/** A real pino logger writing JSON lines to memory. */
function pinoCapture() {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') raw.push(line);
      callback();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  return { logger, raw, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Runs calls that produce every logged event, each with the secret somewhere in its input. */
async function runEverything(app: App): Promise<void> {
  const tool = app.tool(EventsTool);
  tool.failuresLeft = 1;
  const input = { token: SECRET };
  await app.run('events.flaky', input, who);
  await app.run('events.cached', input, who);
  await app.run('events.cached', input, who);
  await app.run('events.cached', { token: SECRET, extra: SECRET }, who).catch(() => undefined); // validation error
  await app.run('events.slowAttempt', input, who).catch(() => undefined);
  await app.run('events.slowCall', input, who).catch(() => undefined);
  await app.run('events.breaker', input, who).catch(() => undefined);
  await app.run('events.breaker', input, who).catch(() => undefined);
  await app.run('events.withFallback', input, who);
  const held = app.run('events.gated', input, who);
  await tick();
  await app.run('events.gated', input, who).catch(() => undefined);
  tool.release!();
  await held;
  await app.run('events.broken', input, who).catch(() => undefined);
}

describe('logging', () => {
  it("with a real pino logger, a retried call logs 'retrying operation' with top-level structured fields", async () => {
    const { logger, lines } = pinoCapture();
    const app = makeApp({ logger });
    app.tool(EventsTool).failuresLeft = 1;
    await app.run('events.flaky', { token: SECRET }, who);

    const retrying = lines().filter((l) => l.msg === 'retrying operation');
    expect(retrying).toHaveLength(1);
    const [line] = retrying;
    expect(line).toMatchObject({
      level: 30,
      tool: 'events',
      operation: 'flaky',
      userId: 'u1',
      taskId: 't1',
      attempt: 2,
      error: 'Error: flaky attempt 1',
    });
    expect(typeof line!.delayMs).toBe('number');
    expect(line!.delayMs as number).toBeGreaterThanOrEqual(RETRY_DELAY_MS - 5);
    // Debug lines for the measured attempts come through too (the logger is at debug level).
    expect(
      lines()
        .filter((l) => l.msg === 'operation timed' && l.level === 20)
        .map((l) => l.attempt),
    ).toEqual([1, 2]);
  });

  it('never logs input values, whatever happens to the call', async () => {
    const { logger, raw, lines } = pinoCapture();
    const app = makeApp({ logger });
    await runEverything(app);
    const messages = new Set(lines().map((l) => l.msg));
    for (const msg of [
      'retrying operation',
      'deadline passed',
      'circuit open',
      'operation failed; returning its fallback',
      'bulkhead full; call refused',
      'operation timed',
    ]) {
      expect(messages).toContain(msg);
    }
    for (const line of raw) expect(line).not.toContain(SECRET);
  });

  it('a (message, fields) logger gets the same fields', async () => {
    const pinoLog = pinoCapture();
    const recording = recordingLogger();
    for (const logger of [pinoLog.logger, recording] as UserLogger[]) {
      const app = makeApp({ logger });
      app.tool(EventsTool).failuresLeft = 1;
      await app.run('events.flaky', { token: SECRET }, who);
    }
    const fromPino = pinoLog.lines().find((l) => l.msg === 'retrying operation')!;
    const fromRecording = recording.lines.find((l) => l.message === 'retrying operation')!;
    expect(fromRecording.level).toBe('info');
    expect(fromRecording.fields).toMatchObject({
      tool: 'events',
      operation: 'flaky',
      userId: 'u1',
      taskId: 't1',
      attempt: 2,
      error: 'Error: flaky attempt 1',
    });
    expect(typeof fromRecording.fields!.delayMs).toBe('number');
    const { delayMs: _a, ...pinoFields } = Object.fromEntries(Object.keys(fromRecording.fields!).map((k) => [k, fromPino[k]]));
    const { delayMs: _b, ...recordedFields } = fromRecording.fields!;
    expect(pinoFields).toEqual(recordedFields);

    // And no input value reaches the (message, fields) logger either.
    const everything = recordingLogger();
    await runEverything(makeApp({ logger: everything }));
    expect(everything.lines.length).toBeGreaterThan(0);
    for (const line of everything.lines) expect(JSON.stringify(line)).not.toContain(SECRET);
  });
});
