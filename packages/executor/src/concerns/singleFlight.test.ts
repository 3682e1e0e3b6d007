import { AbortedError, TimeoutError } from '@aiecs/core';
import type { FlightLocks } from '../cache/CacheStore';
import { MemoryCacheStore } from '../cache/MemoryCacheStore';
import type { Call } from '../pipeline/Call';
import type { Handler } from '../pipeline/Handler';
import { cacheLookup } from './cacheLookup';
import { deadline } from './deadline';
import { singleFlight } from './singleFlight';
import {
  build,
  closeServices,
  deferred,
  fakeNext,
  makeCall,
  rejection,
  services,
  sources,
  transient,
  useFakeClock,
  useRealClock,
  watch,
  SITE,
  TASK,
  USER,
  type SourceParts,
} from './concern.testkit';

afterEach(() => {
  closeServices();
  useRealClock();
});

/**
 * Counts the live `whenAborted` subscriptions on `call`: one is live from subscription until it is
 * withdrawn or fires (a fired listener is dropped by the call).
 */
function tracked(call: Call): Call & { readonly listeners: () => number } {
  const whenAborted = call.whenAborted.bind(call);
  let live = 0;
  call.whenAborted = (listener) => {
    let active = true;
    live++;
    const end = (): void => {
      if (active) live--;
      active = false;
    };
    const unsubscribe = whenAborted((reason) => {
      end();
      listener(reason);
    });
    return () => {
      end();
      unsubscribe();
    };
  };
  return Object.assign(call, { listeners: () => live });
}

/** A caller of `files.read` under key `k1`, with its own signal and deadline. */
function caller(parts: { deadlineMs?: number } = {}) {
  const controller = new AbortController();
  const call = tracked(makeCall({ key: 'k1', signal: controller.signal, deadlineMs: parts.deadlineMs }));
  return { call, controller };
}

/** What the inner handler saw: the calls it ran under and the signals of their attempts. */
interface Method {
  readonly next: jest.Mock<Promise<unknown>, [call: Call, input: unknown]>;
  readonly calls: Call[];
  readonly signals: AbortSignal[];
}

/**
 * An inner handler that starts an attempt and answers `value` after `ms`. One that honours its signal
 * rejects with the signal's reason as soon as it aborts; one that ignores it runs on regardless.
 */
function method(kind: 'honours' | 'ignores', ms: number, value: unknown = 'shared'): Method {
  const calls: Call[] = [];
  const signals: AbortSignal[] = [];
  const next = jest.fn((call: Call, _input: unknown): Promise<unknown> => {
    calls.push(call);
    const { signal } = call.beginAttempt();
    signals.push(signal);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(value), ms);
      if (kind === 'honours') {
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }
    });
  });
  return { next, calls, signals };
}

/** The deadline stage (operation timeout `timeoutMs`) over the single-flight stage over `inner`, on shared services. */
function pipeline(inner: Handler, timeoutMs = 10_000) {
  const svc = services({ timeoutMs });
  const bounded = build(deadline, { timeoutMs }, svc).stage;
  const flight = build(singleFlight, { ttlMs: 0 }, svc).stage;
  return { run: bounded.wrap(flight.wrap(inner)), flights: svc.flights };
}

describe('singleFlight plan', () => {
  it.each<[string, SourceParts]>([
    ['not cached', {}],
    ['cached', { declared: { cache: { ttlMs: 5 } } }],
    ['cached, caching off', { declared: { cache: {} }, config: { enableCache: false } }],
    ['cached, cacheSize 0', { declared: { cache: {} }, config: { cacheSize: 0 } }],
  ])('is the cache plan (%s)', (_case, parts) => {
    expect(singleFlight.plan(sources(parts))).toEqual(cacheLookup.plan(sources(parts)));
  });
});

describe('singleFlight stage', () => {
  it('runs next once for concurrent calls with the same key and gives each caller its result', async () => {
    const { stage } = build(singleFlight, { ttlMs: 0 });
    const gate = deferred();
    const next = fakeNext(gate.promise);
    const run = stage.wrap(next);
    const results = [run(makeCall({ key: 'k1' }), { n: 1 }), run(makeCall({ key: 'k1', userId: 'user-2' }), { n: 1 })];
    expect(next).toHaveBeenCalledTimes(1);
    expect(next).toHaveBeenCalledWith(expect.anything(), { n: 1 });
    gate.resolve('shared');
    await expect(Promise.all(results)).resolves.toEqual(['shared', 'shared']);
  });

  it("runs the shared execution under a flight call of its own: the first caller's site, method, user, task and key, no signal, no deadline", async () => {
    const { stage } = build(singleFlight, { ttlMs: 0 });
    const next = fakeNext();
    const fn = async (): Promise<string> => 'body';
    const first = makeCall({ key: 'k1', method: fn, signal: new AbortController().signal, deadlineMs: 123 });
    await stage.wrap(next)(first, {});
    const flightCall = next.mock.calls[0]![0];
    expect(flightCall).not.toBe(first);
    expect(flightCall).toMatchObject({
      site: SITE,
      method: fn,
      userId: USER,
      taskId: TASK,
      key: 'k1',
      signal: undefined,
      deadlineMs: undefined,
    });
    expect(first.current).toBeUndefined();
  });

  it('shares a failure, then lets the next call run again', async () => {
    const { stage } = build(singleFlight, { ttlMs: 0 });
    const gate = deferred();
    const boom = transient();
    const next = fakeNext(gate.promise, { value: 'second run' });
    const run = stage.wrap(next);

    const results = Promise.allSettled([run(makeCall({ key: 'k1' }), {}), run(makeCall({ key: 'k1' }), {})]);
    gate.reject(boom);
    expect((await results).map((r) => r.status === 'rejected' && r.reason)).toEqual([boom, boom]);
    await expect(run(makeCall({ key: 'k1' }), {})).resolves.toBe('second run');
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('runs separately for different keys and for calls without a key', async () => {
    const { stage } = build(singleFlight, { ttlMs: 0 });
    const next = fakeNext(deferred().promise);
    const run = stage.wrap(next);
    void run(makeCall({ key: 'k1' }), {});
    void run(makeCall({ key: 'k2' }), {});
    void run(makeCall(), {});
    void run(makeCall(), {});
    expect(next).toHaveBeenCalledTimes(4);
  });

  it('a call without a key runs under its own call, as before', async () => {
    const { stage } = build(singleFlight, { ttlMs: 0 });
    const next = fakeNext();
    const call = makeCall();
    await stage.wrap(next)(call, {});
    expect(next).toHaveBeenCalledWith(call, {});
  });

  it('a caller already aborted neither starts nor joins a flight', async () => {
    const { stage, svc } = build(singleFlight, { ttlMs: 0 });
    const next = fakeNext();
    const call = makeCall({ key: 'k1' });
    const reason = new AbortedError();
    call.abort(reason);
    await expect(stage.wrap(next)(call, {})).rejects.toBe(reason);
    expect(next).not.toHaveBeenCalled();
    expect(svc.flights.size).toBe(0);
  });
});

describe('singleFlight: each caller is released by its own deadline and abort only', () => {
  beforeEach(useFakeClock);

  describe.each(['honours', 'ignores'] as const)('a method that %s its signal', (kind) => {
    it.each([2, 3])('the first of %i callers aborts: the others still get the result, and the method is not aborted', async (n) => {
      const m = method(kind, 200);
      const { run, flights } = pipeline(m.next);
      const callers = Array.from({ length: n }, () => caller());
      const results = callers.map(({ call }) => watch(run(call, {})));
      expect(m.next).toHaveBeenCalledTimes(1);

      await jest.advanceTimersByTimeAsync(50);
      callers[0]!.controller.abort('gone');
      await jest.advanceTimersByTimeAsync(0);
      expect(rejection(results[0]!)).toBeInstanceOf(AbortedError);
      expect(m.signals[0]!.aborted).toBe(false);
      expect(m.calls[0]!.aborted).toBe(false);

      await jest.advanceTimersByTimeAsync(150);
      for (const result of results.slice(1)) expect(result.settled).toEqual({ status: 'fulfilled', value: 'shared' });
      expect(m.next).toHaveBeenCalledTimes(1);
      expect(flights.size).toBe(0);
      for (const { call } of callers) expect(call.listeners()).toBe(0);
    });

    it('deadlines of 50 ms and 500 ms, a method of 200 ms: the first gets TimeoutError at 50 ms, the second the result', async () => {
      const m = method(kind, 200);
      const { run } = pipeline(m.next);
      const short = caller({ deadlineMs: 50 });
      const long = caller({ deadlineMs: 500 });
      const settledAt: number[] = [];
      const first = watch(run(short.call, {}).finally(() => settledAt.push(Date.now())));
      const second = watch(run(long.call, {}).finally(() => settledAt.push(Date.now())));

      await jest.advanceTimersByTimeAsync(50);
      expect(rejection(first)).toBeInstanceOf(TimeoutError);
      expect(rejection(first)).toMatchObject({ scope: 'call', timeoutMs: 50 });
      expect(second.settled).toBeUndefined();
      expect(m.signals[0]!.aborted).toBe(false);

      await jest.advanceTimersByTimeAsync(150);
      expect(second.settled).toEqual({ status: 'fulfilled', value: 'shared' });
      expect(settledAt).toEqual([50, 200]);
      expect(m.next).toHaveBeenCalledTimes(1);
      expect(short.call.listeners() + long.call.listeners()).toBe(0);
    });

    it.each([2, 3])('all %i callers abort: the flight call is aborted with the reason of the last to leave', async (n) => {
      const m = method(kind, 200);
      const { run, flights } = pipeline(m.next);
      const callers = Array.from({ length: n }, () => caller());
      const results = callers.map(({ call }) => watch(run(call, {})));

      for (const [i, { controller }] of callers.entries()) {
        await jest.advanceTimersByTimeAsync(10);
        controller.abort(`gone ${i}`);
        await jest.advanceTimersByTimeAsync(0);
        expect(rejection(results[i]!)).toMatchObject({ cause: `gone ${i}` });
        // The method's signal aborts only when the last caller has left.
        expect(m.signals[0]!.aborted).toBe(i === n - 1);
      }
      const last = callers[n - 1]!.call.abortReason;
      expect(m.calls[0]!.abortReason).toBe(last);
      expect(m.signals[0]!.reason).toBe(last);
      // A flight being stopped is dropped at once: a later call starts afresh (even if the method runs on).
      expect(flights.size).toBe(0);
      const later = watch(run(caller().call, {}));
      expect(m.next).toHaveBeenCalledTimes(2);
      await jest.advanceTimersByTimeAsync(200);
      expect(later.settled).toEqual({ status: 'fulfilled', value: 'shared' });
      for (const { call } of callers) expect(call.listeners()).toBe(0);
    });

    it('a caller joining after another left still shares the execution while it runs', async () => {
      const m = method(kind, 200);
      const { run } = pipeline(m.next);
      const a = caller();
      const b = caller();
      const first = watch(run(a.call, {}));
      const second = watch(run(b.call, {}));
      await jest.advanceTimersByTimeAsync(50);
      a.controller.abort();
      await jest.advanceTimersByTimeAsync(50);
      const c = caller();
      const third = watch(run(c.call, {}));
      await jest.advanceTimersByTimeAsync(50);
      b.controller.abort();
      await jest.advanceTimersByTimeAsync(0);
      expect(m.signals[0]!.aborted).toBe(false);

      await jest.advanceTimersByTimeAsync(50);
      expect(rejection(first)).toBeInstanceOf(AbortedError);
      expect(rejection(second)).toBeInstanceOf(AbortedError);
      expect(third.settled).toEqual({ status: 'fulfilled', value: 'shared' });
      expect(m.next).toHaveBeenCalledTimes(1);
      expect([a, b, c].map(({ call }) => call.listeners())).toEqual([0, 0, 0]);
    });
  });

  it("the operation's timeout releases every caller; the flight call is aborted with the last one's TimeoutError", async () => {
    const m = method('ignores', 60_000);
    const { run, flights } = pipeline(m.next, 1000);
    const a = caller();
    const first = watch(run(a.call, {}));
    await jest.advanceTimersByTimeAsync(400);
    const b = caller();
    const second = watch(run(b.call, {}));
    await jest.advanceTimersByTimeAsync(600);
    expect(rejection(first)).toBeInstanceOf(TimeoutError);
    expect(m.calls[0]!.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(400);
    expect(rejection(second)).toBeInstanceOf(TimeoutError);
    expect(m.calls[0]!.abortReason).toBe(rejection(second));
    expect(m.signals[0]!.aborted).toBe(true);
    expect(flights.size).toBe(0);
  });

  it('no listener stays on any caller once the flight settles, whether it succeeds or fails', async () => {
    const gate = deferred();
    const next = fakeNext(gate.promise, { error: transient() });
    const { run, flights } = pipeline(next);
    const callers = Array.from({ length: 3 }, () => caller());
    const results = callers.map(({ call }) => watch(run(call, {})));
    expect(callers.map(({ call }) => call.listeners())).toEqual([1, 1, 1]);
    gate.resolve('value');
    await jest.advanceTimersByTimeAsync(0);
    expect(results.map((r) => r.settled)).toEqual(Array(3).fill({ status: 'fulfilled', value: 'value' }));
    expect(callers.map(({ call }) => call.listeners())).toEqual([0, 0, 0]);

    const failing = Array.from({ length: 2 }, () => caller());
    const failed = failing.map(({ call }) => watch(run(call, {})));
    await jest.advanceTimersByTimeAsync(0);
    expect(failed.every((r) => r.settled?.status === 'rejected')).toBe(true);
    expect(failing.map(({ call }) => call.listeners())).toEqual([0, 0]);
    expect(flights.size).toBe(0);
    // The callers' calls keep no listener set entries either.
    for (const { call } of [...callers, ...failing]) expect(call.pendingAbortListeners).toBe(0);
  });
});

/**
 * Locks shared "between processes" as a store would hold them (the Redis store's are tested against a
 * real Redis in @aiecs/cache-redis); here in memory, with faults injected where a test needs one.
 */
class SharedLocks implements FlightLocks {
  readonly held = new Map<string, string>();
  readonly waiting = new Map<string, Set<() => void>>();
  failAcquire = false;
  private next = 0;

  async acquire(key: string): Promise<string | undefined> {
    if (this.failAcquire) throw new Error('store unreachable');
    if (this.held.has(key)) return undefined;
    const token = `t${this.next++}`;
    this.held.set(key, token);
    return token;
  }

  async release(key: string, token: string): Promise<void> {
    if (this.held.get(key) !== token) return;
    this.held.delete(key);
    for (const wake of [...(this.waiting.get(key) ?? [])]) wake();
  }

  waitForRelease(key: string): { promise: Promise<void>; cancel(): void } {
    let done!: () => void;
    const promise = new Promise<void>((resolve) => {
      done = () => {
        this.waiting.get(key)?.delete(done);
        resolve();
      };
    });
    if (!this.waiting.has(key)) this.waiting.set(key, new Set());
    this.waiting.get(key)!.add(done);
    return { promise, cancel: done };
  }

  get waiters(): number {
    return [...this.waiting.values()].reduce((n, s) => n + s.size, 0);
  }
}

describe('singleFlight across processes (a store with flightLocks)', () => {
  function crossPipeline(inner: Handler, timeoutMs = 10_000) {
    const locks = new SharedLocks();
    const entries = new MemoryCacheStore({ maxSize: 100 });
    const cache = Object.assign(entries, { flightLocks: locks }) as MemoryCacheStore & { flightLocks: SharedLocks };
    const svc = services({ timeoutMs, cache });
    const bounded = build(deadline, { timeoutMs }, svc).stage;
    const flight = build(singleFlight, { ttlMs: 0 }, svc).stage;
    return { run: bounded.wrap(flight.wrap(inner)), locks, cache };
  }

  it("takes the key's lock, runs once, releases it", async () => {
    const m = method('honours', 5);
    const { run, locks } = crossPipeline(m.next);
    await expect(run(caller().call, {})).resolves.toBe('shared');
    expect(m.next).toHaveBeenCalledTimes(1);
    expect(locks.held.size).toBe(0);
  });

  it('while another process holds the lock, waits and returns the entry it stored, without running', async () => {
    const m = method('honours', 5);
    const { run, locks, cache } = crossPipeline(m.next);
    locks.held.set('k1', 'other-process');
    const result = watch(run(caller().call, {}));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(result.settled).toBeUndefined();
    cache.set('k1', Object.freeze({ from: 'other' }), 0);
    await locks.release('k1', 'other-process');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(result.settled).toEqual({ status: 'fulfilled', value: { from: 'other' } });
    expect(m.next).not.toHaveBeenCalled();
  });

  it('when the holder stored nothing (it failed), the next process to take the lock runs it', async () => {
    const m = method('honours', 5, 'mine');
    const { run, locks } = crossPipeline(m.next);
    locks.held.set('k1', 'other-process');
    const result = run(caller().call, {});
    await new Promise((resolve) => setTimeout(resolve, 10));
    await locks.release('k1', 'other-process');
    await expect(result).resolves.toBe('mine');
    expect(m.next).toHaveBeenCalledTimes(1);
  });

  it('fails open: a store whose locks are unreachable runs the method here', async () => {
    const m = method('honours', 5);
    const { run, locks } = crossPipeline(m.next);
    locks.failAcquire = true;
    await expect(run(caller().call, {})).resolves.toBe('shared');
    expect(m.next).toHaveBeenCalledTimes(1);
  });

  it('a waiter leaves at its own deadline, stops waiting, and never runs the method', async () => {
    const m = method('honours', 5);
    const { run, locks } = crossPipeline(m.next, 60);
    locks.held.set('k1', 'stuck-process');
    await expect(run(caller().call, {})).rejects.toBeInstanceOf(TimeoutError);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(locks.waiters).toBe(0);
    expect(m.next).not.toHaveBeenCalled();
  });
});
