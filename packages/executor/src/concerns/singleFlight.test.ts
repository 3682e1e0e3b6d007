import { cacheLookup } from './cacheLookup';
import { singleFlight } from './singleFlight';
import { build, closeServices, deferred, fakeNext, makeCall, sources, transient, type SourceParts } from './concern.testkit';

afterEach(closeServices);

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
    const first = makeCall({ key: 'k1' });

    const results = [run(first, { n: 1 }), run(makeCall({ key: 'k1', userId: 'user-2' }), { n: 1 })];
    expect(next).toHaveBeenCalledTimes(1);
    expect(next).toHaveBeenCalledWith(first, { n: 1 });
    gate.resolve('shared');
    await expect(Promise.all(results)).resolves.toEqual(['shared', 'shared']);
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
});
