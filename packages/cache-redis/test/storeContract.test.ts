// The same cases against both stores: what a hit returns, TTLs, delete, clear by prefix.
import { CacheResult, Operation, PIPELINE_CONTEXT, Tool, ValidateInput } from '@aiecs/core';
import { MemoryCacheStore, BaseTool, UncacheableResultError, type CacheStore, type ToolEventListener } from '@aiecs/executor';
import { IsString } from '@aiecs/validation';
import { Redis } from 'ioredis';
import { RedisCacheStore } from '../src';
import { describeWithRedis, redisForTests, type RedisForTests } from './redisTestServer';

/** Values whose types must survive the round trip, by name. */
const VALUES: ReadonlyArray<readonly [string, unknown]> = [
  ['a string', 'text with ünïcode'],
  ['a number', 42.5],
  ['-0', -0],
  ['NaN', Number.NaN],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['a BigInt', 2n ** 70n],
  ['false', false],
  ['null', null],
  ['a Date', new Date(1_700_000_000_123)],
  [
    'a Map',
    new Map<unknown, unknown>([
      ['a', 1],
      [2, { b: new Date(5) }],
    ]),
  ],
  ['a Set', new Set<unknown>([1, 'x', 3n])],
  ['a Buffer', Buffer.from('héllo')],
  ['a Uint8Array', new Uint8Array([1, 2, 255])],
  ['a Float64Array', new Float64Array([1.5, -0, Number.NaN])],
  ['undefined inside objects and arrays', { a: undefined, b: [undefined, 1] }],
  ['a RegExp', /a+b/gi],
  ['array holes', [1, , 3]], // eslint-disable-line no-sparse-arrays
  ['nested types', { list: [1, { deep: new Map([['k', new Set([new Date(0), -0])]]) }], at: new Date(7) }],
];

class WhichInput {
  @IsString() which!: string;
}

/** Returns VALUES[which] from its method; counts how often the method ran. */
@Tool({ name: 'values' })
class ValuesTool extends BaseTool {
  runs = 0;

  @Operation({ readOnly: true })
  @ValidateInput(WhichInput)
  @CacheResult({ ttlMs: 60_000 })
  async get(input: WhichInput, _ctx = PIPELINE_CONTEXT): Promise<unknown> {
    this.runs++;
    if (input.which === 'a symbol inside') return { s: Symbol('x') };
    return VALUES.find(([name]) => name === input.which)![1];
  }
}

describeWithRedis('RedisCacheStore and MemoryCacheStore: the same cases', () => {
  let redis: RedisForTests;
  const opened: CacheStore[] = [];
  let raw: Redis;

  beforeAll(async () => {
    redis = await redisForTests();
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    for (const store of opened) await store.close();
    await raw.quit();
    await redis.release();
  });

  function redisStore(prefix = redis.prefix()): RedisCacheStore {
    const store = new RedisCacheStore({ url: redis.url, prefix });
    opened.push(store);
    return store;
  }
  const stores: ReadonlyArray<readonly [string, () => CacheStore]> = [
    ['memory', () => new MemoryCacheStore({ maxSize: 100 })],
    ['redis', () => redisStore()],
  ];

  describe.each(stores)('%s', (_name, make) => {
    let store: CacheStore;
    beforeEach(async () => {
      store = make();
      await store.clear();
    });
    afterEach(() => store.clear());

    it.each(VALUES)('%s: a hit is deep-equal to what was stored, with its types', async (_label, value) => {
      await store.set('k', value, 0);
      const hit = await store.get('k');
      expect(hit).toStrictEqual(value);
      if (Buffer.isBuffer(value)) expect(Buffer.isBuffer(hit)).toBe(true);
    });

    it('a miss is undefined; set(undefined) deletes; delete removes one key', async () => {
      expect(await store.get('absent')).toBeUndefined();
      await store.set('a', 1, 0);
      await store.set('b', 2, 0);
      await store.set('a', undefined, 0);
      expect(await store.get('a')).toBeUndefined();
      await store.delete('b');
      await store.delete('never-there');
      expect(await store.get('b')).toBeUndefined();
    });

    it('an entry expires after its ttl; ttl 0 never expires', async () => {
      await store.set('short', 'v', 80);
      await store.set('forever', 'v', 0);
      expect(await store.get('short')).toBe('v');
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await store.get('short')).toBeUndefined();
      expect(await store.get('forever')).toBe('v');
    });

    it('clear(prefix) removes only the keys under it; clear() all of the store', async () => {
      await store.set('tool-a\nx', 1, 0);
      await store.set('tool-a\ny', 2, 0);
      await store.set('tool-b\nx', 3, 0);
      await store.clear('tool-a\n');
      expect(await store.get('tool-a\nx')).toBeUndefined();
      expect(await store.get('tool-a\ny')).toBeUndefined();
      expect(await store.get('tool-b\nx')).toBe(3);
      await store.clear();
      expect(await store.get('tool-b\nx')).toBeUndefined();
    });
  });

  it('the hit from Redis deep-equals the hit from memory for every value, through a tool pipeline', async () => {
    const memory = new ValuesTool({ cacheStore: new MemoryCacheStore({ maxSize: 100 }) });
    const shared = new ValuesTool({ cacheStore: redisStore() });
    try {
      for (const [which, value] of VALUES) {
        const [memoryMiss, redisMiss] = [await memory.run('get', { which }), await shared.run('get', { which })];
        const [memoryHit, redisHit] = [await memory.run('get', { which }), await shared.run('get', { which })];
        expect(redisHit).toStrictEqual(memoryHit);
        expect(redisMiss).toStrictEqual(memoryMiss);
        // The pipeline stores a copy of plain data (array holes become undefined), whatever the store.
        expect(redisHit).toEqual(value);
      }
      // Both cached the same values (a Buffer is not cached by the pipeline, whatever the store).
      expect(shared.runs).toBe(memory.runs);
      expect(shared.executor.getMetrics().cacheHits).toBe(memory.executor.getMetrics().cacheHits);
      expect(memory.executor.getMetrics().cacheHits).toBe(VALUES.length - 1);
    } finally {
      await memory.close();
      await shared.close();
    }
  });

  it('a value Redis cannot store is returned, not cached, and reported once per operation (not as an outage)', async () => {
    const errors: unknown[] = [];
    const listener: ToolEventListener = { cacheError: (e) => void errors.push(e) };
    const tool = new ValuesTool({ cacheStore: redisStore(), logger: { debug() {}, info() {}, warn() {}, error() {} } });
    tool.executor.events.subscribe(listener);
    try {
      for (let i = 0; i < 3; i++) {
        const result = (await tool.run('get', { which: 'a symbol inside' })) as { s: symbol };
        expect(typeof result.s).toBe('symbol');
      }
      expect(tool.runs).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the set rejections arrive after the calls returned
      expect(errors).toHaveLength(1);
      expect((errors[0] as { error: unknown }).error).toBeInstanceOf(UncacheableResultError);
      // The store is healthy: other values are cached.
      await tool.run('get', { which: 'a number' });
      await tool.run('get', { which: 'a number' });
      expect(tool.executor.getMetrics().cacheHits).toBe(1);
    } finally {
      await tool.close();
    }
  });

  it('class instances come back as plain data (own enumerable properties); prototypes are not kept', async () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      get sum(): number {
        return this.x + this.y;
      }
    }
    const store = redisStore();
    await store.set('p', new Point(1, 2), 0);
    const hit = await store.get('p');
    expect(hit).toStrictEqual({ x: 1, y: 2 });
    expect(hit).not.toBeInstanceOf(Point);
    // By name: V8 builds the value in Node's realm, not in the test's (Jest runs tests in a vm context).
    expect(Object.getPrototypeOf(hit).constructor.name).toBe('Object');
    await store.set('n', Object.assign(Object.create(null), { a: 1 }), 0);
    expect(Object.getPrototypeOf(await store.get('n')).constructor.name).toBe('Object');
    await expect(store.set('f', { f: () => 1 }, 0)).rejects.toBeInstanceOf(UncacheableResultError);
  });

  it('keys are prefix + key; stores with other prefixes and keys outside the prefix are never touched', async () => {
    const special = `iso*[x]?\\:${Date.now()}:`; // glob characters in the prefix are literal
    const a = redisStore(special);
    const b = redisStore(`${special.slice(0, -1)}-other:`);
    await raw.set(`${special.slice(0, 4)}-foreign`, 'kept');
    await a.set('k', 'from a', 0);
    await b.set('k', 'from b', 0);
    expect(await raw.exists(`${special}k`)).toBe(1);
    await a.clear();
    expect(await a.get('k')).toBeUndefined();
    expect(await b.get('k')).toBe('from b');
    expect(await raw.get(`${special.slice(0, 4)}-foreign`)).toBe('kept');
    await b.clear();
    await raw.del(`${special.slice(0, 4)}-foreign`);
  });

  it("two tools on one store: clearCache of one leaves the other's entries", async () => {
    const store = redisStore();
    @Tool({ name: 'other-values' })
    class OtherTool extends ValuesTool {}
    const one = new ValuesTool({ cacheStore: store });
    const two = new OtherTool({ cacheStore: store });
    try {
      await one.run('get', { which: 'a number' });
      await two.run('get', { which: 'a number' });
      await one.executor.clearCache();
      await one.run('get', { which: 'a number' });
      await two.run('get', { which: 'a number' });
      expect(one.runs).toBe(2);
      expect(two.runs).toBe(1);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
