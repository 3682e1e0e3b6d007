import { CacheResult, InputValidationError, PIPELINE_CONTEXT, Retry, Tool } from '@aiecs/core';
import {
  BaseTool,
  createApp,
  EventBus,
  MemoryCacheStore,
  type App,
  type AppOptions,
  type CallEndedEvent,
  type CallStartedEvent,
  type ToolEventMap,
} from '../index';
import { errorTypeOf } from './observeAttempt';

const base: CallStartedEvent = { tool: 't', operation: 'op', userId: 'u', taskId: 'k', attempt: 0 };

describe('EventBus scopes (aroundCall)', () => {
  it('are off until a listener has one; the work then runs inside each, parents outermost', async () => {
    const parent = new EventBus();
    const child = new EventBus(parent);
    expect(child.wantsScopes()).toBe(false);
    const order: string[] = [];
    const scope = (name: string) => ({
      aroundCall: (_e: CallStartedEvent, run: () => Promise<unknown>) => {
        order.push(`enter ${name}`);
        void run();
        order.push(`leave ${name}`);
      },
    });
    const offParent = parent.subscribe(scope('parent'));
    child.subscribe(scope('child'));
    expect(child.wantsScopes()).toBe(true);
    await expect(child.runInScopes(base, async () => (order.push('work'), 42))).resolves.toBe(42);
    expect(order).toEqual(['enter parent', 'enter child', 'work', 'leave child', 'leave parent']);
    offParent();
    order.length = 0;
    await child.runInScopes(base, async () => void order.push('work'));
    expect(order).toEqual(['enter child', 'work', 'leave child']);
  });

  it('run the work exactly once whatever a scope does: throws, never calls run, calls it twice, returns something else', async () => {
    const bus = new EventBus();
    bus.subscribe({
      aroundCall: () => {
        throw new Error('tracer bug');
      },
    });
    bus.subscribe({ aroundCall: () => undefined });
    bus.subscribe({
      aroundCall: (_e, run) => {
        void run();
        void run();
        return 'ignored' as never;
      },
    });
    let runs = 0;
    await expect(bus.runInScopes(base, async () => ++runs)).resolves.toBe(1);
    expect(runs).toBe(1);
    await expect(bus.runInScopes(base, () => Promise.reject(new Error('the call failed')))).rejects.toThrow('the call failed');
  });
});

@Tool({ name: 'probe' })
class ProbeTool extends BaseTool {
  failures = 0;

  @CacheResult()
  async cached(input: { n: unknown }): Promise<string> {
    return `n=${String(input.n)}`;
  }

  @Retry({ attempts: 2, backoff: 'constant', initialDelayMs: 1, jitter: false })
  async flaky(_input: object, ctx = PIPELINE_CONTEXT): Promise<number> {
    if (this.failures-- > 0) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    return ctx.attempt;
  }
}

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };
const apps: App[] = [];
function record(options: Omit<AppOptions, 'tools'> = {}) {
  const seen: { [E in keyof ToolEventMap]?: ToolEventMap[E][] } = {};
  const push =
    <E extends keyof ToolEventMap>(name: E) =>
    (e: ToolEventMap[E]) =>
      void ((seen[name] ??= []) as ToolEventMap[E][]).push(e);
  const app = createApp({
    tools: [ProbeTool],
    logger: quietLogger,
    listeners: [{ callEnded: push('callEnded'), attemptStarted: push('attemptStarted'), attemptEnded: push('attemptEnded') }],
    ...options,
  });
  apps.push(app);
  return { app, seen };
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('callEnded.cache', () => {
  it('says miss, hit, bypass (an input with no key) and error (a failing store), and is absent for an uncached operation', async () => {
    const { app, seen } = record();
    await app.run('probe.cached', { n: 1 });
    await app.run('probe.cached', { n: 1 });
    await app.run('probe.cached', { n: 10n }); // a BigInt has no cache key
    await app.run('probe.flaky', {});
    const failing = new MemoryCacheStore({ maxSize: 10, defaultTtlMs: 0 });
    failing.get = () => {
      throw new Error('store down');
    };
    const broken = record({ cacheStore: failing });
    await broken.app.run('probe.cached', { n: 2 });
    const outcomes = (events: CallEndedEvent[] | undefined) => events!.map((e) => e.cache);
    expect(outcomes(seen.callEnded)).toEqual(['miss', 'hit', 'bypass', undefined]);
    expect(outcomes(broken.seen.callEnded)).toEqual(['error']);
  });
});

describe('attemptStarted / attemptEnded', () => {
  it('report each attempt, with its duration and, on failure, its error type and kind', async () => {
    const { app, seen } = record();
    app.tool(ProbeTool).failures = 1;
    await expect(app.run('probe.flaky', {})).resolves.toBe(2);
    expect(seen.attemptStarted!.map((e) => e.attempt)).toEqual([1, 2]);
    expect(seen.attemptEnded!.map((e) => [e.attempt, e.outcome, e.errorType, e.errorKind])).toEqual([
      [1, 'failure', 'ECONNRESET', 'transient'],
      [2, 'success', undefined, undefined],
    ]);
    for (const e of seen.attemptEnded!) expect(e.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('are not emitted for a cache hit (no attempt runs)', async () => {
    const { app, seen } = record();
    await app.run('probe.cached', { n: 3 });
    await app.run('probe.cached', { n: 3 });
    expect(seen.attemptStarted).toHaveLength(1);
  });
});

describe('errorTypeOf', () => {
  it('names an error by its code, else its class, else its type', () => {
    expect(errorTypeOf(new InputValidationError([], 'op'))).toBe('INPUT_VALIDATION');
    expect(errorTypeOf(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe('ENOENT');
    expect(errorTypeOf(new TypeError('x'))).toBe('TypeError');
    expect(errorTypeOf('just a string')).toBe('string');
    expect(errorTypeOf(null)).toBe('null');
  });
});
