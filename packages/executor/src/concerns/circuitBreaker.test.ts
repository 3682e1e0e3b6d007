import { CircuitBreaker, CircuitOpenError, SecurityError } from '@aiecs/core';
import { BrokenCircuitError, CircuitBreakerPolicy, CircuitState } from 'cockatiel';
import { circuitBreaker, circuitStateName } from './circuitBreaker';
import {
  build,
  closeServices,
  eventBase,
  expectSameErrorAsDecorator,
  fail,
  fakeNext,
  makeCall,
  ok,
  PATH,
  sources,
  transient,
} from './concern.testkit';

afterEach(() => {
  closeServices();
  jest.useRealTimers();
});

/** Runs one call per outcome through a fresh breaker stage; returns what each caller got. */
async function callsWith(plan: { threshold?: number; halfOpenAfterMs: number }, ...outcomes: Parameters<typeof fakeNext>) {
  const built = build(circuitBreaker, plan);
  const next = fakeNext(...outcomes);
  const run = built.stage.wrap(next);
  const results: PromiseSettledResult<unknown>[] = [];
  for (let i = 0; i < outcomes.length; i++) results.push(...(await Promise.allSettled([run(makeCall({ userId: `user-${i + 1}` }), i)])));
  return { ...built, next, run, results, policy: built.stage.policy as CircuitBreakerPolicy };
}

describe('circuitBreaker plan and check', () => {
  it('takes configuration over the operation over the class, and is undefined without any', () => {
    const configured = { threshold: 1, halfOpenAfterMs: 1 };
    const declared = { threshold: 2, halfOpenAfterMs: 2 };
    const toolWide = { threshold: 3, halfOpenAfterMs: 3 };
    expect(
      circuitBreaker.plan(
        sources({
          configured: { circuitBreaker: configured },
          declared: { circuitBreaker: declared },
          toolWide: { circuitBreaker: toolWide },
        }),
      ),
    ).toBe(configured);
    expect(circuitBreaker.plan(sources({ declared: { circuitBreaker: declared }, toolWide: { circuitBreaker: toolWide } }))).toBe(declared);
    expect(circuitBreaker.plan(sources({ toolWide: { circuitBreaker: toolWide } }))).toBe(toolWide);
    expect(circuitBreaker.plan(sources())).toBeUndefined();
  });

  it('refuses what @CircuitBreaker refuses, naming operations.read.circuitBreaker.*', () => {
    const check = (options: { threshold?: number; halfOpenAfterMs: number }) => () =>
      circuitBreaker.check!({ circuitBreaker: options }, PATH);
    const full = `${PATH}.circuitBreaker`;
    expectSameErrorAsDecorator(
      check({ threshold: 0, halfOpenAfterMs: 10 }),
      () => CircuitBreaker({ threshold: 0, halfOpenAfterMs: 10 }),
      `${full}.threshold`,
      'CircuitBreaker.threshold',
    );
    expectSameErrorAsDecorator(
      check({ halfOpenAfterMs: -1 }),
      () => CircuitBreaker({ halfOpenAfterMs: -1 }),
      `${full}.halfOpenAfterMs`,
      'CircuitBreaker.halfOpenAfterMs',
    );
    expect(check({ threshold: 3, halfOpenAfterMs: 10 })).not.toThrow();
  });
});

describe('circuitBreaker stage', () => {
  it('exposes a closed cockatiel CircuitBreakerPolicy and passes call and input through', async () => {
    const { results, policy, next } = await callsWith({ threshold: 2, halfOpenAfterMs: 1000 }, ok('fine'));
    expect(policy).toBeInstanceOf(CircuitBreakerPolicy);
    expect(policy.state).toBe(CircuitState.Closed);
    expect(results).toEqual([{ status: 'fulfilled', value: 'fine' }]);
    expect(next.mock.calls[0]![0]).toMatchObject({ userId: 'user-1', site: { tool: 'files', operation: 'read' } });
    expect(next.mock.calls[0]![1]).toBe(0);
  });

  it('opens after `threshold` consecutive failures, then rejects with CircuitOpenError without calling next', async () => {
    const boom = transient();
    const { results, log, next, policy } = await callsWith(
      { threshold: 2, halfOpenAfterMs: 60_000 },
      fail(boom),
      fail(boom),
      ok('unreached'),
    );

    expect(results.slice(0, 2)).toEqual([
      { status: 'rejected', reason: boom },
      { status: 'rejected', reason: boom },
    ]);
    const refused = (results[2] as PromiseRejectedResult).reason;
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused).toMatchObject({ code: 'CIRCUIT_OPEN', kind: 'rejected', tool: 'files', operation: 'read' });
    expect((refused as CircuitOpenError).cause).toBeInstanceOf(BrokenCircuitError);
    expect(next).toHaveBeenCalledTimes(2);
    expect(policy.state).toBe(CircuitState.Open);
    // Reported once, by the call that opened it.
    expect(log.of('circuitStateChanged')).toEqual([{ ...eventBase(1, { userId: 'user-2' }), state: 'open', previous: 'closed' }]);
  });

  it("never counts a caller's error (kind 'caller'): it reaches the caller as thrown and the circuit stays closed", async () => {
    const refused = new SecurityError('path', 'confinement', 'outside the allowed roots');
    const { results, policy, next } = await callsWith(
      { threshold: 2, halfOpenAfterMs: 60_000 },
      fail(refused),
      fail(refused),
      fail(refused),
      ok('served'),
    );
    expect(results.slice(0, 3)).toEqual([0, 1, 2].map(() => ({ status: 'rejected', reason: refused })));
    expect(results[3]).toEqual({ status: 'fulfilled', value: 'served' });
    expect(next).toHaveBeenCalledTimes(4);
    expect(policy.state).toBe(CircuitState.Closed);
  });

  it("keeps a caller's error a failure in a half-open trial (it proves nothing about the backend)", async () => {
    jest.useFakeTimers();
    const boom = transient();
    const refused = new SecurityError('path', 'confinement', 'outside the allowed roots');
    const built = build(circuitBreaker, { threshold: 1, halfOpenAfterMs: 100 });
    const run = built.stage.wrap(fakeNext(fail(boom), fail(refused)));
    const policy = built.stage.policy as CircuitBreakerPolicy;
    await expect(run(makeCall(), 0)).rejects.toBe(boom);
    expect(policy.state).toBe(CircuitState.Open);
    jest.advanceTimersByTime(150);
    await expect(run(makeCall(), 1)).rejects.toBe(refused);
    expect(policy.state).toBe(CircuitState.Open);
  });

  it('counts consecutive failures only: a success in between keeps it closed', async () => {
    const boom = transient();
    const { policy, log } = await callsWith({ threshold: 2, halfOpenAfterMs: 60_000 }, fail(boom), ok(1), fail(boom));
    expect(policy.state).toBe(CircuitState.Closed);
    expect(log.of('circuitStateChanged')).toEqual([]);
  });

  it('opens after 5 failures when no threshold is given', async () => {
    const boom = transient();
    const four = await callsWith({ halfOpenAfterMs: 60_000 }, fail(boom), fail(boom), fail(boom), fail(boom));
    expect(four.policy.state).toBe(CircuitState.Closed);
    const five = await callsWith({ halfOpenAfterMs: 60_000 }, fail(boom), fail(boom), fail(boom), fail(boom), fail(boom));
    expect(five.policy.state).toBe(CircuitState.Open);
  });

  it('lets a trial through after halfOpenAfterMs; its success closes the circuit again', async () => {
    jest.useFakeTimers({ now: 0 });
    const { run, log, policy } = await callsWith({ threshold: 1, halfOpenAfterMs: 1000 }, fail(transient()), ok('recovered'));
    jest.setSystemTime(999);
    await expect(run(makeCall(), {})).rejects.toBeInstanceOf(CircuitOpenError);
    jest.setSystemTime(1000);
    await expect(run(makeCall(), {})).resolves.toBe('recovered');
    expect(policy.state).toBe(CircuitState.Closed);
    expect(log.of('circuitStateChanged').map((e) => [e.previous, e.state])).toEqual([
      ['closed', 'open'],
      ['open', 'closed'],
    ]);
  });

  it('names the cockatiel states as events and health do', () => {
    expect([CircuitState.Closed, CircuitState.Open, CircuitState.HalfOpen, CircuitState.Isolated].map(circuitStateName)).toEqual([
      'closed',
      'open',
      'half-open',
      'isolated',
    ]);
  });
});
