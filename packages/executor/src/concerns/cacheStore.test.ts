import { MemoryCacheStore } from '../cache/MemoryCacheStore';
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
    expect(planOf(cacheStore, { declared: { cache: { ttlMs: 10 } }, configured: { cacheTtlMs: 20 } })).toEqual({ ttlMs: 20 });
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
    expect(log.all).toEqual([{ name: 'cacheError', event: { ...eventBase(1), action: 'set', error: storeDown } }]);
  });

  it('reports cacheError when an asynchronous set rejects, without failing the call', async () => {
    const storeDown = new Error('store down');
    const { stage, log } = storing(() => Promise.reject(storeDown));
    await expect(stage.wrap(fakeNext())(makeCall({ key: 'k1' }), {})).resolves.toBe('result');
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.of('cacheError')).toEqual([{ ...eventBase(1), action: 'set', error: storeDown }]);
  });
});
