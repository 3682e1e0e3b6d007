import { AbortedError, InputValidationError, Retry, TimeoutError, type RetryOptions } from '@aiecs/core';
import { RetryPolicy } from 'cockatiel';
import { retry, type RetryPlan } from './retry';
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
  planOf,
  rejection,
  sources,
  transient,
  watch,
  type Outcome,
  type SourceParts,
  useFakeClock,
  useRealClock,
} from './concern.testkit';

beforeEach(useFakeClock);
afterEach(() => {
  closeServices();
  useRealClock();
});

const attemptsOf = (parts: SourceParts): number | undefined => retry.plan(sources(parts))?.attempts;

describe('retry plan', () => {
  it("defaults to the tool's retryAttempts and retryBackoffMs, exponential with jitter", () => {
    expect(retry.plan(sources({ config: { retryAttempts: 3, retryBackoffMs: 1000 } }))).toEqual({
      attempts: 3,
      backoff: 'exponential',
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
      jitter: true,
      retryOn: undefined,
    });
  });

  it("merges configuration over the operation's @Retry, which replaces the class's, over the tool options", () => {
    const config = { retryAttempts: 2, retryBackoffMs: 1000 };
    const toolWide = { retry: { attempts: 4, initialDelayMs: 40 } };
    const declared = { retry: { attempts: 5, maxDelayMs: 500 } };
    expect(planOf(retry, { config, toolWide })).toMatchObject({ attempts: 4, initialDelayMs: 40 });
    expect(planOf(retry, { config, toolWide, declared })).toMatchObject({ attempts: 5, initialDelayMs: 1000, maxDelayMs: 500 });
    expect(planOf(retry, { config, toolWide, declared, configured: { retry: { attempts: 6, jitter: false } } })).toMatchObject({
      attempts: 6,
      initialDelayMs: 1000,
      maxDelayMs: 500,
      jitter: false,
    });
  });

  it('is undefined for one attempt or fewer, from any source', () => {
    expect(attemptsOf({ config: { retryAttempts: 1 } })).toBeUndefined();
    expect(attemptsOf({ declared: { retry: { attempts: 1 } } })).toBeUndefined();
    expect(attemptsOf({ declared: { retry: { attempts: 5 } }, configured: { retry: { attempts: 1 } } })).toBeUndefined();
  });

  it.each([{ destructive: true }, { idempotent: false }])(
    'makes one attempt for %o unless the operation itself sets attempts',
    (operation) => {
      expect(attemptsOf({ declared: { operation }, config: { retryAttempts: 3 } })).toBeUndefined();
      expect(attemptsOf({ declared: { operation }, toolWide: { retry: { attempts: 5 } } })).toBeUndefined();
      expect(attemptsOf({ declared: { operation, retry: { initialDelayMs: 5 } } })).toBeUndefined();
      expect(attemptsOf({ declared: { operation, retry: { attempts: 3 } } })).toBe(3);
      expect(attemptsOf({ declared: { operation }, configured: { retry: { attempts: 4 } } })).toBe(4);
      expect(attemptsOf({ declared: { operation, retry: { attempts: 3 } }, configured: { retry: { attempts: 2 } } })).toBe(2);
    },
  );

  it('retries an operation declared idempotent or read-only as usual', () => {
    expect(attemptsOf({ declared: { operation: { idempotent: true, readOnly: true } }, config: { retryAttempts: 3 } })).toBe(3);
  });

  it.each([Infinity, 0, -1, 1.5])('refuses attempts %p as @Retry does, naming operations.read.retry.attempts', (attempts) => {
    expectSameErrorAsDecorator(
      () => retry.check!({ retry: { attempts } }, PATH),
      () => Retry({ attempts }),
      `${PATH}.retry.attempts`,
      'Retry.attempts',
    );
  });

  it('checks the other retry options under the same path', () => {
    expectSameErrorAsDecorator(
      () => retry.check!({ retry: { initialDelayMs: -5 } }, PATH),
      () => Retry({ initialDelayMs: -5 }),
      `${PATH}.retry.initialDelayMs`,
      'Retry.initialDelayMs',
    );
    expect(() => retry.check!({ retry: { attempts: 2, backoff: 'constant' } }, PATH)).not.toThrow();
  });
});

describe('retry stage', () => {
  /** The stage with `attempts`, a constant 100 ms backoff (no jitter), over a fake next answering `outcomes`. */
  function retrying(options: RetryOptions, ...outcomes: Outcome[]) {
    const plan: RetryPlan = planOf(retry, { declared: { retry: { backoff: 'constant', initialDelayMs: 100, jitter: false, ...options } } });
    const { stage, log } = build(retry, plan);
    const next = fakeNext(...outcomes);
    const onRetry = jest.fn();
    const policy = stage.policy as RetryPolicy;
    policy.onRetry(onRetry);
    return { run: stage.wrap(next), next, log, policy, onRetry };
  }

  it('exposes the cockatiel RetryPolicy, whose onRetry sees each retry', async () => {
    const { run, policy, onRetry } = retrying({ attempts: 2 }, fail(transient()), ok('second'));
    expect(policy).toBeInstanceOf(RetryPolicy);
    const result = watch(run(makeCall(), {}));
    await jest.advanceTimersByTimeAsync(100);
    expect(result.settled).toEqual({ status: 'fulfilled', value: 'second' });
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('retries a transient error up to `attempts` in total, reporting each retry with the attempt it starts', async () => {
    const errors = [transient('1st'), transient('2nd'), transient('3rd')];
    const { run, next, log } = retrying({ attempts: 3 }, ...errors.map(fail));
    const call = makeCall();
    const input = { q: 1 };
    const result = watch(run(call, input));

    await jest.advanceTimersByTimeAsync(99);
    expect(next).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(next).toHaveBeenCalledTimes(3);
    expect(next.mock.calls.every(([c, i]) => c === call && i === input)).toBe(true);
    expect(rejection(result)).toBe(errors[2]);
    expect(log.of('retry')).toEqual([
      { ...eventBase(2), delayMs: 100, error: errors[0] },
      { ...eventBase(3), delayMs: 100, error: errors[1] },
    ]);
  });

  it('returns the first success', async () => {
    const { run, next, log } = retrying({ attempts: 5 }, fail(transient()), ok('recovered'));
    const result = watch(run(makeCall(), {}));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(result.settled).toEqual({ status: 'fulfilled', value: 'recovered' });
    expect(next).toHaveBeenCalledTimes(2);
    expect(log.of('retry')).toHaveLength(1);
  });

  it('does not retry a non-retryable error (InputValidationError), first or later', async () => {
    const invalid = new InputValidationError([], 'read');
    const first = retrying({ attempts: 3 }, fail(invalid));
    await expect(first.run(makeCall(), {})).rejects.toBe(invalid);
    expect(first.next).toHaveBeenCalledTimes(1);
    expect(first.log.all).toEqual([]);

    const later = retrying({ attempts: 3 }, fail(transient()), fail(invalid));
    const result = watch(later.run(makeCall(), {}));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(rejection(result)).toBe(invalid);
    expect(later.next).toHaveBeenCalledTimes(2);
  });

  it('retries only what retryOn accepts', async () => {
    const { run, next } = retrying({ attempts: 3, retryOn: (e) => (e as Error).message !== 'fatal' }, fail(transient('fatal')));
    await expect(run(makeCall(), {})).rejects.toThrow('fatal');
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('does not retry an attempt that failed after the call was aborted', async () => {
    const { run, next } = retrying({ attempts: 3 });
    const call = makeCall();
    next.mockImplementationOnce((c) => {
      c.beginAttempt();
      c.abort(new AbortedError());
      return Promise.reject(transient());
    });
    const result = watch(run(call, {}));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(rejection(result)).toMatchObject({ message: 'flaky backend' });
    expect(next).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['the caller aborts', new AbortedError()],
    ['the call deadline passes', new TimeoutError(150, 'call')],
  ])('starts no attempt once the call is aborted during the backoff (%s)', async (_why, reason) => {
    const { run, next, log, onRetry } = retrying({ attempts: 5 }, fail(transient()));
    const call = makeCall();
    const result = watch(run(call, {}));
    await jest.advanceTimersByTimeAsync(50);
    call.abort(reason);
    await jest.advanceTimersByTimeAsync(10_000);
    // Only the retry scheduled before the abort: the abort reason itself is never retried.
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(next).toHaveBeenCalledTimes(1);
    expect(rejection(result)).toBe(reason);
    expect(log.of('retry')).toEqual([]);
  });
});
