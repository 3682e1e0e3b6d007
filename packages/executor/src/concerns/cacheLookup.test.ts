import { CacheResult } from '@aiecs/core';
import { MemoryCacheStore } from '../cache/MemoryCacheStore';
import { cacheLookup } from './cacheLookup';
import { CacheTimeoutError } from '../cache/storeHealth';
import type { CacheStore } from '../cache/CacheStore';
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
  services,
  sources,
  useFakeClock,
  useRealClock,
  watch,
} from './concern.testkit';

afterEach(closeServices);

const cached = { declared: { cache: {} } };

describe('cacheLookup plan', () => {
  it('is undefined without @CacheResult, or when the tool turns caching off', () => {
    expect(cacheLookup.plan(sources())).toBeUndefined();
    expect(cacheLookup.plan(sources({ ...cached, config: { enableCache: false } }))).toBeUndefined();
    expect(cacheLookup.plan(sources({ ...cached, config: { cacheSize: 0 } }))).toBeUndefined();
  });

  it('takes the ttl from configuration, then @CacheResult, then the tool option', () => {
    const config = { cacheTtlMs: 1000 };
    expect(cacheLookup.plan(sources({ config, declared: { cache: {} } }))).toEqual({ ttlMs: 1000, lookupTimeoutMs: 50 });
    expect(cacheLookup.plan(sources({ config, declared: { cache: { ttlMs: 200 } } }))).toEqual({ ttlMs: 200, lookupTimeoutMs: 50 });
    expect(cacheLookup.plan(sources({ config, declared: { cache: { ttlMs: 200 } }, configured: { cacheTtlMs: 0 } }))).toEqual({
      ttlMs: 0,
      lookupTimeoutMs: 50,
    });
  });

  it('carries the tool option cacheTimeoutMs', () => {
    expect(cacheLookup.plan(sources({ ...cached, config: { cacheTimeoutMs: 7 } }))).toEqual({ ttlMs: 3_600_000, lookupTimeoutMs: 7 });
  });

  it('checks cacheTtlMs like @CacheResult checks ttlMs, naming operations.read.cacheTtlMs', () => {
    for (const bad of [-1, Infinity, Number.NaN]) {
      expectSameErrorAsDecorator(
        () => cacheLookup.check!({ cacheTtlMs: bad }, PATH),
        () => CacheResult({ ttlMs: bad }),
        `${PATH}.cacheTtlMs`,
        'CacheResult.ttlMs',
      );
    }
    expect(() => cacheLookup.check!({ cacheTtlMs: 5 }, PATH)).not.toThrow();
  });
});

describe('cacheLookup stage', () => {
  it('answers a hit from the store without calling next', async () => {
    const { stage, svc, log } = build(cacheLookup, { ttlMs: 0 });
    await svc.cache.set('k1', { content: 'cached' }, 0);
    const next = fakeNext();

    await expect(stage.wrap(next)(makeCall({ key: 'k1' }), { path: 'a' })).resolves.toEqual({ content: 'cached' });
    expect(next).not.toHaveBeenCalled();
    expect(log.all).toEqual([{ name: 'cacheHit', event: eventBase(0) }]);
  });

  it('passes a miss on to next with the call and input unchanged', async () => {
    const { stage, log } = build(cacheLookup, { ttlMs: 0 });
    const next = fakeNext();
    const call = makeCall({ key: 'k1' });
    const input = { path: 'a' };

    await expect(stage.wrap(next)(call, input)).resolves.toBe('result');
    expect(next).toHaveBeenCalledWith(call, input);
    expect(log.all).toEqual([{ name: 'cacheMiss', event: eventBase(0) }]);
  });

  it('bypasses the cache for a call without a key', async () => {
    const { stage, svc, log } = build(cacheLookup, { ttlMs: 0 });
    const get = jest.spyOn(svc.cache, 'get');
    const next = fakeNext();

    await expect(stage.wrap(next)(makeCall({ key: undefined }), {})).resolves.toBe('result');
    expect(get).not.toHaveBeenCalled();
    expect(next).toHaveBeenCalledTimes(1);
    expect(log.all).toEqual([]);
  });

  it.each([
    [
      'throws',
      (error: Error) => () => {
        throw error;
      },
    ],
    ['rejects', (error: Error) => () => Promise.reject(error)],
  ])('treats a store whose get %s as a miss and reports cacheError', async (_how, broken) => {
    const storeDown = new Error('store down');
    const cache = new MemoryCacheStore({ maxSize: 100 });
    jest.spyOn(cache, 'get').mockImplementation(broken(storeDown));
    const { stage, log } = build(cacheLookup, { ttlMs: 0 }, services({ cache }));
    const next = fakeNext();

    await expect(stage.wrap(next)(makeCall({ key: 'k1' }), {})).resolves.toBe('result');
    expect(next).toHaveBeenCalledTimes(1);
    expect(log.all).toEqual([
      { name: 'cacheError', event: { ...eventBase(0), action: 'get', error: storeDown, firstInOutage: true } },
      { name: 'cacheMiss', event: eventBase(0) },
    ]);
  });

  it('awaits an asynchronous store: a resolved value is a hit, a resolved undefined a miss', async () => {
    const cache = new MemoryCacheStore({ maxSize: 100 });
    jest.spyOn(cache, 'get').mockImplementation((key) => Promise.resolve(key === 'hit' ? 'stored' : undefined));
    const { stage, log } = build(cacheLookup, { ttlMs: 0 }, services({ cache }));
    const next = fakeNext();

    await expect(stage.wrap(next)(makeCall({ key: 'hit' }), {})).resolves.toBe('stored');
    await expect(stage.wrap(next)(makeCall({ key: 'miss' }), {})).resolves.toBe('result');
    expect(next).toHaveBeenCalledTimes(1);
    expect(log.names()).toEqual(['cacheHit', 'cacheMiss']);
  });
});

/** A memory store whose `get` is replaced by `get`. */
function storeWith(get: (key: string) => unknown): MemoryCacheStore {
  const cache = new MemoryCacheStore({ maxSize: 100 });
  jest.spyOn(cache, 'get').mockImplementation(get as never);
  return cache;
}

/** Lets pending promise callbacks run (fake timers leave microtasks alone). */
const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('cacheLookup fails open within a bound', () => {
  beforeEach(useFakeClock);
  afterEach(useRealClock);

  it('goes on as a miss after cacheTimeoutMs when get never answers, and reports the timeout', async () => {
    const svc = services({ cache: storeWith(never) });
    const { stage, log } = build(cacheLookup, { ttlMs: 0, lookupTimeoutMs: 50 }, svc);
    const next = fakeNext();
    const state = watch(stage.wrap(next)(makeCall({ key: 'k1' }), {}));

    await jest.advanceTimersByTimeAsync(49);
    expect(state.settled).toBeUndefined();
    expect(next).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(state.settled).toEqual({ status: 'fulfilled', value: 'result' });
    expect(next).toHaveBeenCalledTimes(1);
    expect(log.names()).toEqual(['cacheError', 'cacheMiss']);
    const [error] = log.of('cacheError');
    expect(error).toMatchObject({ action: 'get', firstInOutage: true });
    expect(error!.error).toBeInstanceOf(CacheTimeoutError);
    expect((error!.error as CacheTimeoutError).timeoutMs).toBe(50);
  });

  it('ignores the late answer of a get that takes 2 s: the call cost cacheTimeoutMs, then ran as a miss', async () => {
    const late = deferred();
    const { stage, log } = build(cacheLookup, { ttlMs: 0, lookupTimeoutMs: 50 }, services({ cache: storeWith(() => late.promise) }));
    const next = fakeNext();
    const state = watch(stage.wrap(next)(makeCall({ key: 'k1' }), {}));

    await jest.advanceTimersByTimeAsync(50);
    expect(state.settled).toEqual({ status: 'fulfilled', value: 'result' });
    await jest.advanceTimersByTimeAsync(1950);
    late.resolve('stale hit');
    await flush();
    expect(next).toHaveBeenCalledTimes(1);
    expect(log.names()).toEqual(['cacheError', 'cacheMiss']);
  });

  it('ignores a late rejection as well (no unhandled rejection, no second event)', async () => {
    const late = deferred();
    const { stage, log } = build(cacheLookup, { ttlMs: 0, lookupTimeoutMs: 50 }, services({ cache: storeWith(() => late.promise) }));
    const state = watch(stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {}));
    await jest.advanceTimersByTimeAsync(50);
    late.reject(new Error('too late'));
    await flush();
    expect(state.settled).toEqual({ status: 'fulfilled', value: 'result' });
    expect(log.names()).toEqual(['cacheError', 'cacheMiss']);
  });

  it("runs inside the call's deadline: a nearer deadlineMs bounds the lookup", async () => {
    const { stage, log } = build(cacheLookup, { ttlMs: 0, lookupTimeoutMs: 1000 }, services({ cache: storeWith(never) }));
    const state = watch(stage.wrap(fakeNext())(makeCall({ key: 'k1', deadlineMs: Date.now() + 20 }), {}));
    await jest.advanceTimersByTimeAsync(19);
    expect(state.settled).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(state.settled).toEqual({ status: 'fulfilled', value: 'result' });
    expect((log.of('cacheError')[0]!.error as CacheTimeoutError).timeoutMs).toBe(20);
  });

  it("is bounded by the operation's timeout too, and by it alone when cacheTimeoutMs is 0", async () => {
    const { stage } = build(cacheLookup, { ttlMs: 0, lookupTimeoutMs: 0 }, services({ cache: storeWith(never), timeoutMs: 100 }));
    const state = watch(stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {}));
    await jest.advanceTimersByTimeAsync(99);
    expect(state.settled).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(state.settled).toEqual({ status: 'fulfilled', value: 'result' });
  });

  it('uses the shared timer of cacheTimeoutMs and cancels its entry when get answers in time', async () => {
    const answer = deferred();
    const svc = services({ cache: storeWith(() => answer.promise) });
    const shared = svc.timers.forDelay(50);
    const schedule = jest.spyOn(shared, 'schedule');
    const cancel = jest.spyOn(shared, 'cancel');
    const { stage, log } = build(cacheLookup, { ttlMs: 0, lookupTimeoutMs: 50 }, svc);
    const state = watch(stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {}));

    await jest.advanceTimersByTimeAsync(10);
    answer.resolve('stored');
    await flush();
    expect(state.settled).toEqual({ status: 'fulfilled', value: 'stored' });
    expect(schedule).toHaveBeenCalledTimes(1);
    expect(cancel).toHaveBeenCalledWith(schedule.mock.results[0]!.value);
    await jest.advanceTimersByTimeAsync(100);
    expect(log.names()).toEqual(['cacheHit']);
  });

  it('costs a synchronous store nothing: no timer, no promise beyond the answer', async () => {
    const svc = services();
    svc.cache.set('k1', 'cached', 0);
    const forDelay = jest.spyOn(svc.timers, 'forDelay');
    const setTimer = jest.spyOn(global, 'setTimeout');
    const { stage } = build(cacheLookup, { ttlMs: 0, lookupTimeoutMs: 50 }, svc);
    await expect(stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {})).resolves.toBe('cached');
    await expect(stage.wrap(fakeNext())(makeCall({ key: 'k2' }), {})).resolves.toBe('result');
    expect(forDelay).not.toHaveBeenCalled();
    expect(setTimer).not.toHaveBeenCalled();
    setTimer.mockRestore();
  });
});

describe('cacheLookup reports a failing store once per outage', () => {
  it('marks only the first failure after a success (or the first ever) firstInOutage', async () => {
    let down = true;
    const cache = storeWith(() => {
      if (down) throw new Error('store down');
      return undefined;
    });
    const { stage, log } = build(cacheLookup, { ttlMs: 0 }, services({ cache }));
    const run = () => stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {});

    for (let i = 0; i < 3; i++) await expect(run()).resolves.toBe('result');
    down = false;
    await run(); // a success ends the outage
    down = true;
    await run();
    await run();
    expect(log.of('cacheError').map((e) => e.firstInOutage)).toEqual([true, false, false, true, false]);
  });

  it('shares the health of a store between the stages (tools) using it', async () => {
    const cache = storeWith(() => Promise.reject(new Error('store down')));
    const first = build(cacheLookup, { ttlMs: 0 }, services({ cache }));
    const second = build(cacheLookup, { ttlMs: 0 }, services({ cache }));
    await first.stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {});
    await second.stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {});
    expect(first.log.of('cacheError').map((e) => e.firstInOutage)).toEqual([true]);
    expect(second.log.of('cacheError').map((e) => e.firstInOutage)).toEqual([false]);
    // Another store has a health of its own.
    const other = build(cacheLookup, { ttlMs: 0 }, services({ cache: storeWith(() => Promise.reject(new Error('down too'))) }));
    await other.stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {});
    expect(other.log.of('cacheError').map((e) => e.firstInOutage)).toEqual([true]);
  });
});

describe('cacheLookup never hands out a shared mutable object', () => {
  it('returns a frozen value on a hit: mutating it throws, and the next hit is unchanged', async () => {
    const { stage, svc } = build(cacheLookup, { ttlMs: 0 });
    svc.cache.set('k1', Object.freeze({ items: Object.freeze([Object.freeze({ n: 1 })]) }), 0);
    const hit = (await stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {})) as { items: Array<{ n: number }> };
    expect(() => {
      hit.items[0]!.n = 2;
    }).toThrow(TypeError);
    expect(() => hit.items.push({ n: 3 })).toThrow(TypeError);
    await expect(stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {})).resolves.toEqual({ items: [{ n: 1 }] });
  });

  it('copies a value a store hands back unfrozen (a plain value set directly, a Map), so callers never share it', async () => {
    const entries = new Map<string, unknown>([
      ['plain', { items: [{ n: 1 }] }],
      ['map', { byId: new Map([[1, { n: 1 }]]) }],
    ]);
    const store: CacheStore = {
      get: (k) => Promise.resolve(entries.get(k)),
      set: () => undefined,
      delete: () => undefined,
      clear: () => undefined,
      close: () => undefined,
    };
    const { stage } = build(cacheLookup, { ttlMs: 0 }, services({ cache: store }));
    const plain = (await stage.wrap(fakeNext())(makeCall({ key: 'plain' }), {})) as { items: Array<{ n: number }> };
    expect(plain).toEqual({ items: [{ n: 1 }] });
    expect(plain).not.toBe(entries.get('plain'));
    expect(Object.isFrozen(plain.items[0])).toBe(true);
    const a = (await stage.wrap(fakeNext())(makeCall({ key: 'map' }), {})) as { byId: Map<number, { n: number }> };
    const b = (await stage.wrap(fakeNext())(makeCall({ key: 'map' }), {})) as { byId: Map<number, { n: number }> };
    a.byId.get(1)!.n = 99;
    expect(b.byId.get(1)).toEqual({ n: 1 });
    expect((entries.get('map') as { byId: Map<number, { n: number }> }).byId.get(1)).toEqual({ n: 1 });
  });

  it('passes primitives through untouched', async () => {
    const { stage, svc } = build(cacheLookup, { ttlMs: 0 });
    svc.cache.set('k1', 42, 0);
    await expect(stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {})).resolves.toBe(42);
  });
});
