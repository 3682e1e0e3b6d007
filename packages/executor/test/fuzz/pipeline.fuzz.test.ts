import {
  AbortedError,
  CacheResult,
  InputValidationError,
  Retry,
  Sanitize,
  SecurityError,
  TimeoutError,
  ToolExecutionError,
  ValidateInput,
} from '@aiecs/core';
import fc from 'fast-check';
import { inspect } from 'node:util';
import { BaseTool } from '../../src';
import { OrderInput, recordingLogger } from '../fixtures';

/**
 * Property-based checks over hostile and arbitrary inputs and call options: every call settles in a
 * bound with a result or a documented error, metrics add up, no prototype changes, and two inputs that
 * differ never share a cache entry. `FUZZ_RUNS=100000 npm run fuzz` for a long run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SETTLE_BOUND_MS = 3_000;
const DOCUMENTED = [InputValidationError, SecurityError, TimeoutError, AbortedError, ToolExecutionError];

/** A description that tells apart what deep equality tells apart (-0, undefined properties, Dates, prototypes). */
const describeInput = (input: unknown): string =>
  inspect(input, { depth: null, sorted: true, getters: false, maxArrayLength: null, maxStringLength: null });

class Sample extends BaseTool {
  @ValidateInput(OrderInput)
  @Sanitize()
  @CacheResult()
  @Retry({ attempts: 2, initialDelayMs: 1 })
  async order(input: OrderInput): Promise<number> {
    return input.items.reduce((sum, item) => sum + item.qty, 0);
  }

  @CacheResult()
  async echo(input: unknown): Promise<string> {
    return describeInput(input);
  }

  @Sanitize()
  async sanitized(input: unknown): Promise<string> {
    return typeof input;
  }

  async bare(input: unknown): Promise<string> {
    return typeof input;
  }
}
const OPERATIONS = ['order', 'echo', 'sanitized', 'bare'] as const;

function throwingGetter(): object {
  return Object.defineProperty({}, 'boom', {
    enumerable: true,
    get: () => {
      throw new Error('getter exploded');
    },
  });
}
function cyclic(): object {
  const value: Record<string, unknown> = { a: 1 };
  value.self = value;
  return value;
}
function deep(levels: number): object {
  let value: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) value = { nested: value };
  return value;
}

/** JSON-like values, exotic containers and hand-made hostile ones. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    maxDepth: 4,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withNullPrototype: true,
    withBigInt: true,
    withSparseArray: true,
    withObjectString: true,
  }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v))),
  fc.constantFrom<unknown>(
    JSON.parse('{"__proto__":{"polluted":1},"customer":"c","items":[]}'),
    JSON.parse('{"customer":"c","items":[{"name":"a","qty":1,"constructor":{"prototype":{"polluted":1}}}]}'),
    { customer: 'c', items: [[{ name: 'a', qty: 5 }]] },
    { customer: 'c', items: [[]] },
    { customer: 'c', items: [{ name: 'a', qty: -0 }] },
    { customer: 'c', items: { 0: { name: 'a', qty: 1 } } },
    { customer: "x' OR 1=1 --", items: [] },
    { customer: 'c', items: [{ name: '../../etc/passwd', qty: 1 }] },
    { customer: 'c'.repeat(200_000), items: [] },
    { customer: '\u202e\u0000\ud800', items: [] },
    { n: NaN, i: Infinity, z: -0 },
    new Map([[Symbol('k'), 1]]),
    throwingGetter(),
    cyclic(),
    deep(200),
    [],
    null,
  ),
);

/** What a caller may pass as the context: nothing, sensible options, or anything at all. */
const callOptions: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.record({ userId: fc.string(), taskId: fc.string() }, { requiredKeys: [] }),
  fc.constantFrom<unknown>(
    { signal: null },
    { signal: {} },
    { deadlineMs: 10n },
    { deadlineMs: Object.create(null) },
    { deadlineMs: NaN },
    { userId: 5 },
    { deadlineMs: 0 },
    { signal: AbortSignal.abort() },
  ),
  fc.anything({ maxDepth: 2 }),
);

function settleWithin<T>(promise: Promise<T>, ms: number): Promise<PromiseSettledResult<T> | 'unsettled'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'unsettled'>((resolve) => (timer = setTimeout(() => resolve('unsettled'), ms)));
  return Promise.race([Promise.allSettled([promise]).then(([result]) => result!), bound]).finally(() => clearTimeout(timer));
}

function prototypeSnapshot(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((proto) => Reflect.ownKeys(proto).map(String).sort().join(','))
    .join('|');
}

describe('the pipeline under arbitrary and hostile input (fast-check)', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => process.off('unhandledRejection', onUnhandled));

  it('every call settles in a bound with a result or a documented error; metrics add up; no prototype changes; no shared entries', async () => {
    const tool = new Sample({ logger: recordingLogger(), timeoutMs: 1_000, retryBackoffMs: 1 });
    const prototypes = prototypeSnapshot();
    let calls = 0;
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPERATIONS), hostileValue, callOptions, async (operation, input, options) => {
        calls++;
        let promise: Promise<unknown>;
        try {
          promise = tool.run(operation as 'bare', input as never, options as never);
        } catch (error) {
          throw new Error(`run() threw synchronously: ${String(error)}`, { cause: error });
        }
        const outcome = await settleWithin(promise, SETTLE_BOUND_MS);
        if (outcome === 'unsettled') throw new Error(`${operation} did not settle within ${SETTLE_BOUND_MS} ms`);
        if (outcome.status === 'rejected') {
          failures++;
          if (!DOCUMENTED.some((type) => outcome.reason instanceof type)) throw new Error(`undocumented error: ${inspect(outcome.reason)}`);
        } else if (operation === 'echo') {
          // A cache entry shared with a different input would answer with that input's description.
          // (No input at all reaches the method as `{}`.)
          expect(outcome.value).toBe(describeInput(input === undefined ? {} : input));
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: RUNS > 1_000 ? undefined : 60_000 },
    );
    const metrics = tool.executor.getMetrics();
    expect(metrics.requests).toBe(calls);
    expect(metrics.failures).toBe(failures);
    expect(prototypeSnapshot()).toBe(prototypes);
    expect(unhandled).toEqual([]);
    await tool.close();
  });

  it('inputs that are not deep-equal never share a cache entry (typed keys)', async () => {
    const tool = new Sample({ logger: recordingLogger() });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc
            .jsonValue({ maxDepth: 3 })
            .chain((v) =>
              fc.constantFrom(
                v,
                { v },
                { v, extra: undefined },
                { d: new Date(0), s: new Date(0).toISOString(), z: -0 },
                [undefined],
                [null],
              ),
            ),
          { maxLength: 8 },
        ),
        async (inputs) => {
          for (const input of inputs) {
            const wrapped = { value: input };
            const result = await tool.run('echo', wrapped).catch((error: unknown) => error);
            if (typeof result === 'string') expect(result).toBe(describeInput(wrapped));
          }
        },
      ),
      { numRuns: RUNS },
    );
    await tool.close();
  });
});
