import { MemoryCacheStore } from '../cache/MemoryCacheStore';
import { UncacheableResultError } from '../cache/storeHealth';
import { cacheStore } from './cacheStore';
import { build, closeServices, eventBase, fail, fakeNext, makeCall, ok, planOf, services, sources, transient } from './concern.testkit';

afterEach(closeServices);

/** The store stage (ttl 60 s) over a memory cache whose `set` is spied on, or replaced by `set`. */
function storing(set?: (key: string, value: unknown, ttlMs?: number) => void | Promise<void>) {
  const cache = new MemoryCacheStore({ maxSize: 100 });
  const spy = set ? jest.spyOn(cache, 'set').mockImplementation(set as never) : jest.spyOn(cache, 'set');
  const { stage, log } = build(cacheStore, { ttlMs: 60_000 }, services({ cache }));
  return { stage, log, cache, set: spy };
}

describe('cacheStore plan', () => {
  it('is the cache plan: configured ttl over the declared one, undefined when caching is off', () => {
    expect(planOf(cacheStore, { declared: { cache: { ttlMs: 10 } }, configured: { cacheTtlMs: 20 } })).toEqual({
      ttlMs: 20,
      lookupTimeoutMs: 50,
    });
    expect(cacheStore.plan(sources({ declared: { cache: {} }, config: { enableCache: false } }))).toBeUndefined();
  });
});

describe('cacheStore stage', () => {
  it("stores a success under the call's key with the plan's ttl, and reports cacheStored", async () => {
    const { stage, log, cache, set } = storing();
    const next = fakeNext(ok({ content: 'x' }));
    const call = makeCall({ key: 'k1' });

    await expect(stage.wrap(next)(call, { path: 'a' })).resolves.toEqual({ content: 'x' });
    expect(next).toHaveBeenCalledWith(call, { path: 'a' });
    expect(set).toHaveBeenCalledWith('k1', { content: 'x' }, 60_000);
    expect(cache.get('k1')).toEqual({ content: 'x' });
    expect(log.all).toEqual([{ name: 'cacheStored', event: eventBase(1) }]);
  });

  it('never stores undefined', async () => {
    const { stage, log, set } = storing();
    await expect(stage.wrap(fakeNext(ok(undefined)))(makeCall({ key: 'k1' }), {})).resolves.toBeUndefined();
    expect(set).not.toHaveBeenCalled();
    expect(log.all).toEqual([]);
  });

  it('never stores a failure: the error reaches the caller unchanged', async () => {
    const { stage, log, set } = storing();
    const boom = transient();
    await expect(stage.wrap(fakeNext(fail(boom)))(makeCall({ key: 'k1' }), {})).rejects.toBe(boom);
    expect(set).not.toHaveBeenCalled();
    expect(log.all).toEqual([]);
  });

  it('stores nothing for a call without a key', async () => {
    const { stage, set } = storing();
    await expect(stage.wrap(fakeNext())(makeCall(), {})).resolves.toBe('result');
    expect(set).not.toHaveBeenCalled();
  });

  it('still returns the value when set throws, and reports cacheError instead of cacheStored', async () => {
    const storeDown = new Error('store down');
    const { stage, log } = storing(() => {
      throw storeDown;
    });
    await expect(stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {})).resolves.toBe('result');
    expect(log.all).toEqual([{ name: 'cacheError', event: { ...eventBase(1), action: 'set', error: storeDown, firstInOutage: true } }]);
  });

  it('reports cacheError when an asynchronous set rejects, without failing the call', async () => {
    const storeDown = new Error('store down');
    const { stage, log } = storing(() => Promise.reject(storeDown));
    await expect(stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {})).resolves.toBe('result');
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.of('cacheError')).toEqual([{ ...eventBase(1), action: 'set', error: storeDown, firstInOutage: true }]);
  });
});

describe('cacheStore keeps no object a caller holds', () => {
  it('stores a deep-frozen copy of plain data and hands that copy to the flight, not the original', async () => {
    const { stage, cache } = storing();
    const original = { id: 1, items: [{ n: 1 }, { n: 2 }] };
    const shared = (await stage.wrap(fakeNext(ok(original)))(makeCall({ key: 'k1' }), {})) as typeof original;
    expect(shared).toEqual(original);
    expect(shared).not.toBe(original);
    expect(cache.get('k1')).toBe(shared);
    expect(Object.isFrozen(shared) && Object.isFrozen(shared.items) && Object.isFrozen(shared.items[0])).toBe(true);
    original.items[0]!.n = 99; // the original stays the caller's own: mutable, and unseen by the cache
    expect(cache.get('k1')).toEqual({ id: 1, items: [{ n: 1 }, { n: 2 }] });
  });

  it('keeps shared references and cycles in the copy', async () => {
    const { stage, cache } = storing();
    const part = { n: 1 };
    const node: Record<string, unknown> = { a: part, b: part };
    node.self = node;
    await stage.wrap(fakeNext(ok(node)))(makeCall({ key: 'k1' }), {});
    const stored = cache.get('k1') as typeof node;
    expect(stored.a).toBe(stored.b);
    expect(stored.self).toBe(stored);
  });

  it('stores primitives as they are', async () => {
    const { stage, set } = storing();
    await expect(stage.wrap(fakeNext(ok('text')))(makeCall({ key: 'k1' }), {})).resolves.toBe('text');
    expect(set).toHaveBeenCalledWith('k1', 'text', 60_000);
  });

  it('stores a structuredClone of data holding a Map or a Date', async () => {
    const { stage, cache } = storing();
    const original = { at: new Date(0), byId: new Map([[1, { n: 1 }]]) };
    const shared = await stage.wrap(fakeNext(ok(original)))(makeCall({ key: 'k1' }), {});
    expect(cache.get('k1')).toEqual(original);
    expect(cache.get('k1')).not.toBe(original);
    expect(shared).toBe(cache.get('k1'));
  });

  it.each([
    ['a function', () => () => 1, /the result is a function|it is a function/],
    [
      'a class instance',
      () =>
        new (class Point {
          constructor(readonly x = 1) {}
        })(),
      /an instance of Point/,
    ],
    ['a nested function', () => ({ data: { onClick: () => 1 } }), /the result.data.onClick is a function/],
    ['a Buffer', () => ({ body: Buffer.from('x') }), /instance of Buffer/],
  ])('returns but does not cache %s, reported once per operation as a cacheError', async (_what, make, reason) => {
    const { stage, log, set } = storing();
    const value = make();
    await expect(stage.wrap(fakeNext(ok(value)))(makeCall({ key: 'k1' }), {})).resolves.toBe(value);
    await stage.wrap(fakeNext(ok(make())))(makeCall({ key: 'k2' }), {});
    expect(set).not.toHaveBeenCalled();
    const errors = log.of('cacheError');
    expect(errors).toEqual([{ ...eventBase(1), action: 'set', error: expect.any(UncacheableResultError), firstInOutage: true }]);
    expect((errors[0]!.error as Error).message).toMatch(reason);
    expect((errors[0]!.error as Error).message).toMatch(/^files\.read: its result is not cached/);
  });

  it('reports a failing set once per outage: the first failure after a success is firstInOutage', async () => {
    let down = true;
    const { stage, log } = storing(() => {
      if (down) throw new Error('store down');
    });
    const run = () => stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {});
    await run();
    await run();
    down = false;
    await run();
    down = true;
    await run();
    expect(log.of('cacheError').map((e) => e.firstInOutage)).toEqual([true, false, true]);
  });
});
