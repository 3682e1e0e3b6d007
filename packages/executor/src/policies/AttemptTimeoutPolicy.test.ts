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
      ({ signal }) =>
        new Promise<string>((resolve) => signal.addEventListener('abort', () => setTimeout(() => resolve('finished after abort'), 5))),
    );
    expect(value).toBe('finished after abort');
  });

  it("a parent signal's abort reaches the work", async () => {
    const timeout = new AttemptTimeoutPolicy({ ms: 60_000 }, timers.forDelay(60_000));
    const parent = new AbortController();
    const pending = timeout.execute(
      ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      parent.signal,
    );
    parent.abort(new Error('caller left'));
    await expect(pending).rejects.toThrow('caller left');
  });

  it("a parent signal's abort releases the attempt at once, even when the work ignores its signal, and cancels its timer", async () => {
    const timer = timers.forDelay(60_000);
    const timeout = new AttemptTimeoutPolicy({ ms: 60_000 }, timer);
    const parent = new AbortController();
    const pending = timeout.execute(() => new Promise(() => undefined), parent.signal);
    expect((timer as unknown as { head: unknown }).head).toBeDefined();
    parent.abort(new Error('caller left'));
    await expect(pending).rejects.toThrow('caller left');
    expect(timer as unknown as { head: unknown; referenced: boolean }).toMatchObject({ head: undefined, referenced: false });
  });

  it('run(): whenReleased cancels the timer, rejects (aggressive) with its reason, and is unsubscribed when the attempt settles', async () => {
    const timer = timers.forDelay(30_000);
    const aggressive = new AttemptTimeoutPolicy({ ms: 30_000 }, timer);
    let release: ((reason: unknown) => void) | undefined;
    let unsubscribed = 0;
    const whenReleased = {
      whenAborted: (listener: (reason: unknown) => void) => {
        release = listener;
        return () => void unsubscribed++;
      },
    };
    const hung = aggressive.run(
      () => new Promise<never>(() => undefined),
      () => undefined,
      whenReleased,
    );
    release!('deadline passed');
    await expect(hung).rejects.toBe('deadline passed');
    expect((timer as unknown as { head: unknown }).head).toBeUndefined();
    expect(unsubscribed).toBe(1);

    await expect(
      aggressive.run(
        async () => 'in time',
        () => undefined,
        whenReleased,
      ),
    ).resolves.toBe('in time');
    expect(unsubscribed).toBe(2);

    // Cooperative: the timer is cancelled, but the work is still awaited.
    const cooperative = new AttemptTimeoutPolicy({ ms: 30_000, strategy: 'cooperative' }, timer);
    let finish: (value: string) => void = () => undefined;
    const waited = cooperative.run(
      () => new Promise<string>((resolve) => (finish = resolve)),
      () => undefined,
      whenReleased,
    );
    release!('caller left');
    expect((timer as unknown as { head: unknown }).head).toBeUndefined();
    finish('finished anyway');
    await expect(waited).resolves.toBe('finished anyway');
  });

  it('run(): released before it starts (the call was already aborted), it never arms a timer that stays', async () => {
    const timer = timers.forDelay(40_000);
    const timeout = new AttemptTimeoutPolicy({ ms: 40_000 }, timer);
    const alreadyAborted = {
      whenAborted: (listener: (reason: unknown) => void) => {
        listener('already aborted');
        return () => undefined;
      },
    };
    await expect(
      timeout.run(
        () => new Promise<never>(() => undefined),
        () => undefined,
        alreadyAborted,
      ),
    ).rejects.toBe('already aborted');
    expect(timer as unknown as { head: unknown; referenced: boolean }).toMatchObject({ head: undefined, referenced: false });
  });
});
