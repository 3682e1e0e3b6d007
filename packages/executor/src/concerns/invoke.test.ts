import { AbortedError, ConfigurationError, type ToolContext } from '@aiecs/core';
import { AttemptContext } from '../pipeline/Call';
import type { Invoker } from '../runtime/Invoker';
import { invoke } from './invoke';
import { build, closeServices, fakeNext, makeCall, planOf, services, sources, USER, TASK } from './concern.testkit';

afterEach(closeServices);

describe('invoke plan', () => {
  it('carries @RunInExecutor options when declared', () => {
    expect(invoke.plan(sources())).toEqual({});
    expect(invoke.plan(sources({ declared: { runInExecutor: { pool: 'cpu' } } }))).toEqual({ runInExecutor: { pool: 'cpu' } });
  });

  it('tells an off-thread invoker when the attempt timeout is cooperative (declared, configured or tool-wide)', () => {
    const runInExecutor = { module: '/tools/cpu.js' };
    const cooperative = { ms: 50, strategy: 'cooperative' } as const;
    expect(invoke.plan(sources({ declared: { runInExecutor, timeout: cooperative } }))).toEqual({
      runInExecutor,
      timeoutStrategy: 'cooperative',
    });
    expect(invoke.plan(sources({ declared: { runInExecutor }, configured: { timeout: cooperative } }))).toEqual({
      runInExecutor,
      timeoutStrategy: 'cooperative',
    });
    expect(invoke.plan(sources({ declared: { runInExecutor }, toolWide: { timeout: cooperative } }))).toEqual({
      runInExecutor,
      timeoutStrategy: 'cooperative',
    });
    // Aggressive (the default) needs no word; nor does an operation that stays in-process.
    expect(invoke.plan(sources({ declared: { runInExecutor, timeout: { ms: 50 } } }))).toEqual({ runInExecutor });
    expect(invoke.plan(sources({ declared: { timeout: cooperative } }))).toEqual({});
  });
});

describe('invoke stage', () => {
  const target = { name: 'the tool instance' };

  it("runs call.method on the target with the input and a fresh attempt's context (in-process), ignoring next", async () => {
    const seen: Array<{ self: unknown; input: unknown; ctx: ToolContext }> = [];
    const method = jest.fn(function (this: object, input: unknown, ctx: ToolContext) {
      seen.push({ self: this, input, ctx });
      return `ran attempt ${ctx.attempt}`;
    });
    const { stage } = build(invoke, {}, services({ target }));
    const next = fakeNext();
    const call = makeCall({ method });
    const run = stage.wrap(next);

    expect(call.attempt).toBe(0);
    await expect(run(call, { q: 1 })).resolves.toBe('ran attempt 1');
    expect(call.attempt).toBe(1);
    await expect(run(call, { q: 2 })).resolves.toBe('ran attempt 2');
    expect(call.attempt).toBe(2);

    expect(next).not.toHaveBeenCalled();
    expect(seen.map((s) => [s.self, s.input])).toEqual([
      [target, { q: 1 }],
      [target, { q: 2 }],
    ]);
    const ctx = seen[1]!.ctx;
    expect(ctx).toBeInstanceOf(AttemptContext);
    expect(ctx).toBe(call.current);
    expect(ctx).toMatchObject({ attempt: 2, userId: USER, taskId: TASK, operation: 'read' });
    expect(ctx.signal.aborted).toBe(false);
  });

  it('hands the invoker the site, call.method, the input and the attempt context', async () => {
    const invoker: Invoker = { invoke: jest.fn(async () => 'from the pool') };
    const plan = planOf(invoke, { declared: { runInExecutor: { pool: 'cpu' } } });
    const { stage } = build(invoke, plan, services({ target, invoker }));
    const call = makeCall();

    await expect(stage.wrap(fakeNext())(call, 'input')).resolves.toBe('from the pool');
    expect(invoker.invoke).toHaveBeenCalledWith(
      { tool: 'files', operation: 'read', target, runInExecutor: { pool: 'cpu' } },
      call.method,
      'input',
      call.current,
    );
    expect(call.current).toMatchObject({ attempt: 1 });
  });

  it('lets the invoker check the operation once, when the stage is built, and refuse it by throwing', () => {
    const prepare = jest.fn();
    const invoker: Invoker = { invoke: jest.fn(async () => 'ok'), prepare };
    const plan = planOf(invoke, { declared: { runInExecutor: {}, timeout: { ms: 50, strategy: 'cooperative' } } });
    build(invoke, plan, services({ target, invoker }));
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(prepare).toHaveBeenCalledWith({ tool: 'files', operation: 'read', target, runInExecutor: {}, timeoutStrategy: 'cooperative' });

    const refusal = new ConfigurationError('files.read @RunInExecutor.module', undefined, 'unknown');
    const refusing: Invoker = {
      invoke: jest.fn(),
      prepare: () => {
        throw refusal;
      },
    };
    expect(() => build(invoke, plan, services({ target, invoker: refusing }))).toThrow(refusal);
  });

  it('refuses to start once the call is aborted: rejects with the reason, starts no attempt', async () => {
    const method = jest.fn();
    const { stage } = build(invoke, {});
    const call = makeCall({ method });
    const reason = new AbortedError();
    call.abort(reason);

    await expect(stage.wrap(fakeNext())(call, {})).rejects.toBe(reason);
    expect(method).not.toHaveBeenCalled();
    expect(call.attempt).toBe(0);
  });

  it('turns a synchronous throw of the method into a rejection', async () => {
    const boom = new Error('sync');
    const { stage } = build(invoke, {});
    const call = makeCall({
      method: () => {
        throw boom;
      },
    });
    let returned: Promise<unknown> | undefined;
    expect(() => (returned = stage.wrap(fakeNext())(call, {}))).not.toThrow();
    await expect(returned).rejects.toBe(boom);
  });
});
