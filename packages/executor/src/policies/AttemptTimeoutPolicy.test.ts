import { TimeoutError } from '@aiecs/core';
import { handleAll, retry, wrap } from 'cockatiel';
import { AttemptTimeoutPolicy } from './AttemptTimeoutPolicy';
import { DelayTimers } from './DelayTimers';

describe('AttemptTimeoutPolicy as a cockatiel IPolicy', () => {
  const timers = new DelayTimers();
  afterAll(() => timers.close());

  it('composes with wrap(): a slow first try times out, the retry succeeds, and the signal of the slow try is aborted', async () => {
    const timeout = new AttemptTimeoutPolicy({ ms: 20 }, timers.forDelay(20));
    const signals: AbortSignal[] = [];
    let tries = 0;
    const policy = wrap(retry(handleAll, { maxAttempts: 1 }), timeout);
    const result = await policy.execute(({ signal }) => {
      signals.push(signal);
      return ++tries === 1 ? new Promise<string>(() => undefined) : 'second try';
    });
    expect(result).toBe('second try');
    expect(tries).toBe(2);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toBeInstanceOf(TimeoutError);
    expect(signals[1]!.aborted).toBe(false);
  });

  it('reports onTimeout, onSuccess and onFailure like cockatiel policies', async () => {
    const timeout = new AttemptTimeoutPolicy({ ms: 10 }, timers.forDelay(10));
    const seen: string[] = [];
    timeout.onTimeout(() => seen.push('timeout'));
    timeout.onSuccess(() => seen.push('success'));
    timeout.onFailure(({ handled }) => seen.push(`failure:${handled}`));
    await timeout.execute(() => 'fast');
    await expect(timeout.execute(() => new Promise(() => undefined))).rejects.toBeInstanceOf(TimeoutError);
    expect(seen).toEqual(['success', 'timeout', 'failure:true']);
  });

  it('cooperative: aborts the signal at the limit but waits for the work', async () => {
    const timeout = new AttemptTimeoutPolicy({ ms: 10, strategy: 'cooperative' }, timers.forDelay(10));
    const value = await timeout.execute(
      ({ signal }) => new Promise<string>((resolve) => signal.addEventListener('abort', () => setTimeout(() => resolve('finished after abort'), 5))),
    );
    expect(value).toBe('finished after abort');
  });

  it("a parent signal's abort reaches the work", async () => {
    const timeout = new AttemptTimeoutPolicy({ ms: 60_000 }, timers.forDelay(60_000));
    const parent = new AbortController();
    const pending = timeout.execute(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))), parent.signal);
    parent.abort(new Error('caller left'));
    await expect(pending).rejects.toThrow('caller left');
  });
});
