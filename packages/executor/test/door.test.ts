import { CacheResult, InputValidationError, Operation, ToolExecutionError, UnknownOperationError, type CallOptions } from '@aiecs/core';
import { BaseTool, type ToolEventMap } from '../src';
import { quiet } from './fixtures';

class DoorTool extends BaseTool {
  // Decorated, so direct calls (`tool.op(input, options)`) go through the door too.
  @Operation({ description: 'adds one' })
  async op(input: { n?: number }): Promise<number> {
    return (input.n ?? 0) + 1;
  }

  async fails(_input: object): Promise<never> {
    throw new Error('boom');
  }
}

/** The decorated method as a caller may call it, with a context argument. */
const direct = (tool: DoorTool) => tool as unknown as { op(input: unknown, context?: unknown): Promise<number> };

function throwingGetter(field: string): object {
  return Object.defineProperty({}, field, {
    enumerable: true,
    get: () => {
      throw new Error(`${field} getter exploded`);
    },
  });
}

const hostileProxy = (): object =>
  new Proxy(
    {},
    {
      get: () => {
        throw new Error('trap exploded');
      },
    },
  );

/** Call options a caller may pass by mistake or malice, and the option each is refused for. */
const HOSTILE_OPTIONS: ReadonlyArray<[string, unknown, string]> = [
  ['signal: null', { signal: null }, '(context).signal'],
  ['signal: {} (not an AbortSignal)', { signal: {} }, '(context).signal'],
  ['signal: a duck-typed signal', { signal: { aborted: false, addEventListener() {}, removeEventListener() {} } }, '(context).signal'],
  ['deadlineMs: 10n', { deadlineMs: 10n }, '(context).deadlineMs'],
  ['deadlineMs: NaN', { deadlineMs: Number.NaN }, '(context).deadlineMs'],
  ['deadlineMs: Infinity', { deadlineMs: Number.POSITIVE_INFINITY }, '(context).deadlineMs'],
  ['deadlineMs: a string', { deadlineMs: '1000' }, '(context).deadlineMs'],
  ['deadlineMs: Object.create(null)', { deadlineMs: Object.create(null) }, '(context).deadlineMs'],
  ['userId: 5', { userId: 5 }, '(context).userId'],
  ['userId: null', { userId: null }, '(context).userId'],
  ['taskId: {}', { taskId: {} }, '(context).taskId'],
  ['toolCallId: 7', { toolCallId: 7 }, '(context).toolCallId'],
  ['a Proxy whose getters throw', hostileProxy(), '(context).userId'],
  ['a throwing userId getter', throwingGetter('userId'), '(context).userId'],
  ['a throwing signal getter', throwingGetter('signal'), '(context).signal'],
  [
    'a revoked Proxy',
    (() => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    })(),
    '(context)',
  ],
  ['a string', 'user-1', '(context)'],
  ['null', null, '(context)'],
  ['an array', [], '(context)'],
];

/** Calls `fn`, failing the test if it throws synchronously; returns the settled outcome. */
async function settleWithoutThrowing(fn: () => Promise<unknown>): Promise<PromiseSettledResult<unknown>> {
  let promise: Promise<unknown>;
  try {
    promise = fn();
  } catch (error) {
    throw new Error(`threw synchronously: ${String(error)}`, { cause: error });
  }
  expect(promise).toBeInstanceOf(Promise);
  return (await Promise.allSettled([promise]))[0]!;
}

describe('the door refuses hostile call options', () => {
  it.each(HOSTILE_OPTIONS)('%s: rejects (never throws) with InputValidationError naming the option', async (_name, options, path) => {
    const tool = new DoorTool(quiet);
    for (const call of [() => tool.run('op', { n: 1 }, options as CallOptions), () => direct(tool).op({ n: 1 }, options)]) {
      const outcome = await settleWithoutThrowing(call);
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as InputValidationError;
      expect(error).toBeInstanceOf(InputValidationError);
      expect(error.errors[0]!.path).toBe(path);
      expect(error.operation).toBe('op');
    }
  });

  it('reads each option once: a getter cannot answer one thing to the check and another to the pipeline', async () => {
    let reads = 0;
    const options = Object.defineProperty({}, 'userId', { get: () => (++reads === 1 ? 'u1' : 42) });
    class WhoTool extends BaseTool {
      async who(_input: object, ctx: { userId: string }): Promise<string> {
        return ctx.userId;
      }
    }
    await expect(new WhoTool(quiet).run('who', {}, options)).resolves.toBe('u1');
    expect(reads).toBe(1);
  });

  it('accepts well-formed options: ids, a real AbortSignal, a finite deadline, and undefined fields', async () => {
    const tool = new DoorTool(quiet);
    const options = { userId: 'u1', taskId: 't1', signal: new AbortController().signal, deadlineMs: Date.now() + 60_000 };
    await expect(tool.run('op', { n: 1 }, options)).resolves.toBe(2);
    await expect(tool.run('op', { n: 1 }, { userId: undefined, signal: undefined, deadlineMs: undefined })).resolves.toBe(2);
    await expect(tool.run('op', { n: 1 }, Object.assign(Object.create(null), { userId: 'u2' }))).resolves.toBe(2);
  });

  it('run() never throws synchronously, whatever the operation name, input or options', async () => {
    const tool = new DoorTool(quiet);
    const names: unknown[] = [
      'nope',
      '_secret',
      5,
      null,
      undefined,
      Symbol('s'),
      {
        toString: () => {
          throw new Error('toString exploded');
        },
      },
    ];
    for (const name of names) {
      const outcome = await settleWithoutThrowing(() => tool.run(name as 'op', {}));
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(UnknownOperationError);
    }
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const inputs: unknown[] = [proxy, 'text', 5, null, [], hostileProxy()];
    for (const input of inputs) {
      const outcome = await settleWithoutThrowing(() => tool.run('op', input as never, hostileProxy() as CallOptions));
      expect(outcome.status).toBe('rejected');
    }
  });

  it('refuses a non-object input with InputValidationError before the options, and a closed tool before both', async () => {
    const tool = new DoorTool(quiet);
    const bad = await settleWithoutThrowing(() => tool.run('op', 'text' as never, { userId: 5 } as never));
    expect(((bad as PromiseRejectedResult).reason as InputValidationError).errors[0]!.path).toBe('');
    await tool.close();
    const closed = await settleWithoutThrowing(() => tool.run('op', 'text' as never, { userId: 5 } as never));
    expect((closed as PromiseRejectedResult).reason).toBeInstanceOf(ToolExecutionError);
    expect(String((closed as PromiseRejectedResult).reason)).toMatch(/closed/);
  });
});

describe("toolCallId: the model's id for the call", () => {
  it('reaches the method as ctx.toolCallId and every event of the call, never the cache key', async () => {
    const seen: string[] = [];
    class CallIdTool extends BaseTool {
      @CacheResult()
      async echo(input: { n: number }, ctx: { toolCallId?: string }): Promise<string> {
        seen.push(ctx.toolCallId ?? '(none)');
        return `${input.n}`;
      }
    }
    const tool = new CallIdTool(quiet);
    const events: Array<[string, string | undefined]> = [];
    tool.executor.events.subscribe({
      callStarted: (e) => void events.push(['callStarted', e.toolCallId]),
      cacheMiss: (e) => void events.push(['cacheMiss', e.toolCallId]),
      cacheHit: (e) => void events.push(['cacheHit', e.toolCallId]),
      callEnded: (e) => void events.push(['callEnded', e.toolCallId]),
    });
    await expect(tool.run('echo', { n: 1 }, { toolCallId: 'call_a' })).resolves.toBe('1');
    await expect(tool.run('echo', { n: 1 }, { toolCallId: 'call_b' })).resolves.toBe('1');
    expect(seen).toEqual(['call_a']);
    expect(events).toEqual([
      ['callStarted', 'call_a'],
      ['cacheMiss', 'call_a'],
      ['callEnded', 'call_a'],
      ['callStarted', 'call_b'],
      ['cacheHit', 'call_b'],
      ['callEnded', 'call_b'],
    ]);
  });

  it('is carried by the callEnded of a call refused at the door', async () => {
    const tool = new DoorTool(quiet);
    const ended: Array<string | undefined> = [];
    tool.executor.events.subscribe({ callEnded: (e) => void ended.push(e.toolCallId) });
    await expect(tool.run('op', 'not an object' as never, { toolCallId: 'call_x' })).rejects.toBeInstanceOf(InputValidationError);
    expect(ended).toEqual(['call_x']);
  });
});

describe('every call is counted: requests = successes + failures', () => {
  it('counts calls refused at the door (input, options, closed tool, unknown operation) as failures, with a callEnded event', async () => {
    const tool = new DoorTool(quiet);
    const ended: Array<ToolEventMap['callEnded']> = [];
    const started: Array<ToolEventMap['callStarted']> = [];
    tool.executor.events.subscribe({ callEnded: (e) => ended.push(e), callStarted: (e) => started.push(e) });

    let successes = 0;
    let failures = 0;
    const count = async (call: () => Promise<unknown>): Promise<void> => {
      const outcome = await settleWithoutThrowing(call);
      if (outcome.status === 'fulfilled') successes++;
      else failures++;
    };

    await count(() => tool.run('op', { n: 1 }));
    await count(() => tool.run('op', { n: 1 }, { userId: 'u1', taskId: 't1' }));
    await count(() => tool.run('fails', {}));
    await count(() => tool.run('op', 'text' as never, { userId: 'u1' }));
    await count(() => tool.run('op', [] as never));
    await count(() => direct(tool).op(5));
    for (const [, options] of HOSTILE_OPTIONS) await count(() => tool.run('op', {}, options as CallOptions));
    await count(() => tool.run('missing' as 'op', {}, { userId: 'u2' }));
    await count(() => tool.run('_secret' as 'op', {}));

    const beforeClose = tool.executor.getMetrics();
    expect(beforeClose.requests).toBe(successes + failures);
    expect(beforeClose.failures).toBe(failures);
    expect(successes).toBe(2);

    await tool.close();
    await count(() => tool.run('op', { n: 1 }));
    await count(() => tool.op({ n: 1 }));
    const metrics = tool.executor.getMetrics();
    expect(metrics.requests).toBe(successes + failures);
    expect(metrics.failures).toBe(failures);
    expect(ended).toHaveLength(successes + failures);
    expect(started).toHaveLength(successes + failures);
    expect(ended.filter((e) => e.outcome === 'success')).toHaveLength(successes);
  });

  it('reports a refusal like any failed call: outcome failure, error code and kind, attempt 0, the caller ids when readable', async () => {
    const tool = new DoorTool(quiet);
    const ended: Array<ToolEventMap['callEnded']> = [];
    tool.executor.events.subscribe({ callEnded: (e) => ended.push(e) });
    await settleWithoutThrowing(() => tool.run('op', 'text' as never, { userId: 'u1', taskId: 't1' }));
    await settleWithoutThrowing(() => tool.run('op', {}, { userId: 5 } as never));
    await settleWithoutThrowing(() => tool.run('missing' as 'op', {}, { userId: 'u2' }));
    expect(ended).toEqual([
      {
        tool: tool.executor.toolName,
        operation: 'op',
        userId: 'u1',
        taskId: 't1',
        attempt: 0,
        durationMs: 0,
        outcome: 'failure',
        errorCode: 'INPUT_VALIDATION',
        errorKind: 'caller',
      },
      {
        tool: tool.executor.toolName,
        operation: 'op',
        userId: 'anonymous',
        taskId: 'none',
        attempt: 0,
        durationMs: 0,
        outcome: 'failure',
        errorCode: 'INPUT_VALIDATION',
        errorKind: 'caller',
      },
      expect.objectContaining({
        operation: 'missing',
        userId: 'u2',
        attempt: 0,
        outcome: 'failure',
        errorCode: new UnknownOperationError({ tool: 't', operation: 'o' }, 'x').code,
      }),
    ]);
    expect(tool.executor.getMetrics().byOperation.op).toMatchObject({ requests: 2, failures: 2 });
  });

  it("an app's listeners see the refusals of its tools", async () => {
    const { createApp } = await import('../src');
    const ended: Array<ToolEventMap['callEnded']> = [];
    const app = createApp({ tools: [DoorTool], ...quiet, listeners: [{ callEnded: (e) => ended.push(e) }] });
    try {
      await expect(app.tool(DoorTool).run('op', {}, { deadlineMs: Number.NaN })).rejects.toBeInstanceOf(InputValidationError);
      expect(ended).toEqual([expect.objectContaining({ operation: 'op', outcome: 'failure', errorCode: 'INPUT_VALIDATION', attempt: 0 })]);
    } finally {
      await app.close();
    }
  });
});
