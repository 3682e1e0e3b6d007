import { Timeout, TimeoutError, type TimeoutOptions } from '@aiecs/core';
import { AttemptTimeoutPolicy } from '../policies/AttemptTimeoutPolicy';
import { attemptTimeout } from './attemptTimeout';
import {
  build,
  closeServices,
  deferred,
  eventBase,
  expectSameErrorAsDecorator,
  fakeNext,
  makeCall,
  never,
  PATH,
  rejection,
  sources,
  useFakeClock,
  useRealClock,
  watch,
} from './concern.testkit';

beforeEach(useFakeClock);
afterEach(() => {
  closeServices();
  useRealClock();
});

describe('attemptTimeout plan and check', () => {
  it('takes configuration (ms or options) over the operation over the class, and is undefined without any', () => {
    const declared = { timeout: { ms: 200 } };
    const toolWide = { timeout: { ms: 300, strategy: 'cooperative' as const } };
    expect(attemptTimeout.plan(sources({ configured: { timeout: 100 }, declared, toolWide }))).toEqual({ ms: 100 });
    expect(attemptTimeout.plan(sources({ configured: { timeout: { ms: 150, strategy: 'cooperative' } }, declared }))).toEqual({
      ms: 150,
      strategy: 'cooperative',
    });
    expect(attemptTimeout.plan(sources({ declared, toolWide }))).toBe(declared.timeout);
    expect(attemptTimeout.plan(sources({ toolWide }))).toBe(toolWide.timeout);
    expect(attemptTimeout.plan(sources())).toBeUndefined();
  });

  it('refuses what @Timeout refuses, naming operations.read.timeout.*', () => {
    const check = (timeout: number | TimeoutOptions) => () => attemptTimeout.check!({ timeout }, PATH);
    for (const bad of [0, -5, Infinity]) {
      expectSameErrorAsDecorator(check(bad), () => Timeout(bad), `${PATH}.timeout.ms`, 'Timeout.ms');
    }
    const strategy = { ms: 10, strategy: 'eventually' } as unknown as TimeoutOptions;
    expectSameErrorAsDecorator(check(strategy), () => Timeout(strategy), `${PATH}.timeout.strategy`, 'Timeout.strategy');
    expect(check({ ms: 10, strategy: 'cooperative' })).not.toThrow();
  });
});

describe('attemptTimeout stage', () => {
  it('exposes an AttemptTimeoutPolicy with the plan', () => {
    const { stage } = build(attemptTimeout, { ms: 100 });
    expect(stage.policy).toBeInstanceOf(AttemptTimeoutPolicy);
    expect((stage.policy as AttemptTimeoutPolicy).options).toEqual({ ms: 100 });
  });

  it("aggressive: rejects with TimeoutError(attempt) at the limit and aborts the attempt's signal, not the call", async () => {
    const { stage, log } = build(attemptTimeout, { ms: 100 });
    const next = fakeNext(never());
    const call = makeCall();
    const result = watch(stage.wrap(next)(call, { q: 1 }));
    expect(next).toHaveBeenCalledWith(call, { q: 1 });
    const attempt = call.current!;

    await jest.advanceTimersByTimeAsync(99);
    expect(result.settled).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);

    const error = rejection(result);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ scope: 'attempt', timeoutMs: 100, kind: 'transient', tool: 'files', operation: 'read' });
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.signal.reason).toBe(error);
    expect(call.aborted).toBe(false);
    expect(log.all).toEqual([{ name: 'timeout', event: { ...eventBase(1), scope: 'attempt', timeoutMs: 100 } }]);
  });

  it('cooperative: at the limit aborts the attempt but waits for next, whose result the caller gets', async () => {
    const { stage, log } = build(attemptTimeout, { ms: 100, strategy: 'cooperative' });
    const gate = deferred();
    const call = makeCall();
    const result = watch(stage.wrap(fakeNext(gate.promise))(call, {}));

    await jest.advanceTimersByTimeAsync(500);
    expect(result.settled).toBeUndefined();
    expect(call.current!.signal.aborted).toBe(true);
    expect(log.of('timeout')).toEqual([{ ...eventBase(1), scope: 'attempt', timeoutMs: 100 }]);

    gate.resolve('finished anyway');
    await jest.advanceTimersByTimeAsync(0);
    expect(result.settled).toEqual({ status: 'fulfilled', value: 'finished anyway' });
  });

  it('leaves an attempt that finishes in time alone', async () => {
    const { stage, log } = build(attemptTimeout, { ms: 100 });
    const call = makeCall();
    await expect(stage.wrap(fakeNext())(call, {})).resolves.toBe('result');
    await jest.advanceTimersByTimeAsync(1000);
    expect(call.current!.signal.aborted).toBe(false);
    expect(log.all).toEqual([]);
  });

  it('times each call from its own start', async () => {
    const { stage } = build(attemptTimeout, { ms: 100 });
    const run = stage.wrap(fakeNext(never()));
    const first = watch(run(makeCall(), {}));
    await jest.advanceTimersByTimeAsync(60);
    const second = watch(run(makeCall(), {}));
    await jest.advanceTimersByTimeAsync(40);
    expect(first.settled?.status).toBe('rejected');
    expect(second.settled).toBeUndefined();
    await jest.advanceTimersByTimeAsync(60);
    expect(second.settled?.status).toBe('rejected');
  });
});
