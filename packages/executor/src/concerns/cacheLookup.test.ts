import { CacheResult } from '@aiecs/core';
import { MemoryCacheStore } from '../cache/MemoryCacheStore';
import { cacheLookup } from './cacheLookup';
import { build, closeServices, eventBase, expectSameErrorAsDecorator, fakeNext, makeCall, PATH, services, sources } from './concern.testkit';

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
    expect(cacheLookup.plan(sources({ config, declared: { cache: {} } }))).toEqual({ ttlMs: 1000 });
    expect(cacheLookup.plan(sources({ config, declared: { cache: { ttlMs: 200 } } }))).toEqual({ ttlMs: 200 });
    expect(cacheLookup.plan(sources({ config, declared: { cache: { ttlMs: 200 } }, configured: { cacheTtlMs: 0 } }))).toEqual({ ttlMs: 0 });
  });

  it('checks cacheTtlMs like @CacheResult checks ttlMs, naming operations.read.cacheTtlMs', () => {
    for (const bad of [-1, Infinity, Number.NaN]) {
      expectSameErrorAsDecorator(() => cacheLookup.check!({ cacheTtlMs: bad }, PATH), () => CacheResult({ ttlMs: bad }), `${PATH}.cacheTtlMs`, 'CacheResult.ttlMs');
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
    ['throws', (error: Error) => () => { throw error; }],
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
      { name: 'cacheError', event: { ...eventBase(0), action: 'get', error: storeDown } },
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
