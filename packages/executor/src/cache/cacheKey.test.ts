import { cacheKeyText, generateCacheKey, generateExecutionCacheKey, hashCacheKeyText } from './cacheKey';

const HEX64 = /^[0-9a-f]{64}$/;

describe('generateCacheKey', () => {
  it('returns a 64-char lowercase hex digest', () => {
    expect(generateCacheKey(['a', 1, { b: true }])).toMatch(HEX64);
    expect(generateCacheKey([])).toMatch(HEX64);
  });

  it('is deterministic for equal input', () => {
    expect(generateCacheKey(['op', { x: [1, 2, { y: 'z' }] }])).toBe(generateCacheKey(['op', { x: [1, 2, { y: 'z' }] }]));
  });

  it('ignores object key order, nested objects included', () => {
    const a = { b: 1, a: { d: [{ f: 1, e: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [{ e: 2, f: 1 }] }, b: 1 };
    expect(generateCacheKey([a])).toBe(generateCacheKey([b]));
  });

  it('matches a pinned value, so keys stay stable across releases and processes', () => {
    // If this changes, keys already stored in shared caches become unreachable: bump KEY_FORMAT deliberately.
    expect(generateCacheKey(['op', { b: 2, a: 1 }, [null, 'x']])).toBe(generateCacheKey(['op', { a: 1, b: 2 }, [null, 'x']]));
    expect(generateCacheKey(['pinned'])).toBe('6e8178f7f55835e01f238266c56c8ef649eab3c0e84e81dbf37aab75d70411cf');
  });

  it('differs for different values, types and array order', () => {
    const keys = [
      generateCacheKey([{ a: 1 }]),
      generateCacheKey([{ a: 2 }]),
      generateCacheKey([{ a: '1' }]),
      generateCacheKey([[1, 2]]),
      generateCacheKey([[2, 1]]),
      generateCacheKey(['a', 'b']),
      generateCacheKey(['ab']),
      generateCacheKey(['a\nb']),
      generateCacheKey([null]),
      generateCacheKey([undefined]),
      generateCacheKey([]),
      generateCacheKey([0]),
      generateCacheKey([false]),
      generateCacheKey(['']),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives a top-level undefined part its own stable key, distinct from null and from absence', () => {
    expect(generateCacheKey([undefined])).toBe(generateCacheKey([undefined]));
    expect(generateCacheKey([undefined])).not.toBe(generateCacheKey([null]));
    expect(generateCacheKey(['x', undefined])).not.toBe(generateCacheKey(['x']));
  });

  it('follows JSON for nested undefined: dropped from objects, null inside arrays (documented)', () => {
    expect(generateCacheKey([{ a: undefined, b: 1 }])).toBe(generateCacheKey([{ b: 1 }]));
    expect(generateCacheKey([[undefined]])).toBe(generateCacheKey([[null]]));
  });

  it('serialises Date through toJSON (ISO string)', () => {
    const d = new Date('2024-01-02T03:04:05.000Z');
    expect(generateCacheKey([{ at: d }])).toBe(generateCacheKey([{ at: '2024-01-02T03:04:05.000Z' }]));
    expect(generateCacheKey([{ at: d }])).not.toBe(generateCacheKey([{ at: new Date(0) }]));
  });

  it('serialises class instances by their own enumerable properties, and null-prototype objects like plain ones', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const bare = Object.assign(Object.create(null) as object, { y: 2, x: 1 });
    expect(generateCacheKey([new Point(1, 2)])).toBe(generateCacheKey([{ x: 1, y: 2 }]));
    expect(generateCacheKey([bare])).toBe(generateCacheKey([{ x: 1, y: 2 }]));
  });

  it.each<[string, unknown, RegExp]>([
    ['bigint', { n: 10n }, /bigint/],
    ['function', { f: () => 1 }, /function/],
    ['symbol value', { s: Symbol('s') }, /symbol/],
    ['NaN', [Number.NaN], /NaN/],
    ['Infinity', { n: Number.POSITIVE_INFINITY }, /Infinity/],
    ['Map', { m: new Map([['a', 1]]) }, /Map/],
    ['Set', new Set([1]), /Set/],
    ['RegExp', { r: /x/ }, /RegExp/],
    ['Error', [new Error('boom')], /Error/],
    ['boxed primitive', [Object('x')], /boxed primitive/],
    ['typed array', { u: new Uint8Array(2) }, /typed array/],
  ])('rejects %s with a TypeError naming the problem', (_label, value, message) => {
    expect(() => generateCacheKey([value])).toThrow(TypeError);
    expect(() => generateCacheKey([value])).toThrow(/^Cannot build a cache key: /);
    expect(() => generateCacheKey([value])).toThrow(message);
  });

  it('rejects a top-level function or symbol part', () => {
    expect(() => generateCacheKey([() => 1])).toThrow(TypeError);
    expect(() => generateCacheKey([Symbol('x')])).toThrow(TypeError);
  });

  it('rejects circular references with a TypeError and keeps the original error as cause', () => {
    const node: Record<string, unknown> = { name: 'n' };
    node.self = node;
    let caught: unknown;
    try {
      generateCacheKey([node]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).message).toMatch(/circular/i);
    expect((caught as Error).cause).toBeInstanceOf(Error);
  });

  it('accepts the same object twice when it is shared, not circular', () => {
    const shared = { v: 1 };
    expect(generateCacheKey([[shared, shared]])).toBe(generateCacheKey([[{ v: 1 }, { v: 1 }]]));
  });

  it('serialises Buffers through their toJSON form', () => {
    expect(generateCacheKey([Buffer.from('ab')])).toBe(generateCacheKey([{ type: 'Buffer', data: [97, 98] }]));
  });
});

describe('generateExecutionCacheKey', () => {
  const base = () => generateExecutionCacheKey('search', 'user-1', 'task-1', ['q', 10], { lang: 'en', limit: 5 });

  it('is a 64-char hex key, stable for equal input and kwargs order', () => {
    expect(base()).toMatch(HEX64);
    expect(base()).toBe(generateExecutionCacheKey('search', 'user-1', 'task-1', ['q', 10], { limit: 5, lang: 'en' }));
  });

  it('is the generic key of [funcName, userId, taskId, kwargs, ...args]', () => {
    expect(base()).toBe(generateCacheKey(['search', 'user-1', 'task-1', { lang: 'en', limit: 5 }, 'q', 10]));
  });

  it('differs per function, user, task, args and kwargs', () => {
    const keys = [
      base(),
      generateExecutionCacheKey('search2', 'user-1', 'task-1', ['q', 10], { lang: 'en', limit: 5 }),
      generateExecutionCacheKey('search', 'user-2', 'task-1', ['q', 10], { lang: 'en', limit: 5 }),
      generateExecutionCacheKey('search', 'user-1', 'task-2', ['q', 10], { lang: 'en', limit: 5 }),
      generateExecutionCacheKey('search', 'user-1', 'task-1', ['q', 11], { lang: 'en', limit: 5 }),
      generateExecutionCacheKey('search', 'user-1', 'task-1', [10, 'q'], { lang: 'en', limit: 5 }),
      generateExecutionCacheKey('search', 'user-1', 'task-1', ['q', 10], { lang: 'fr', limit: 5 }),
      generateExecutionCacheKey('search', 'user-1', 'task-1', [['q', 10]], { lang: 'en', limit: 5 }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('cannot be confused by moving text between the id fields', () => {
    expect(generateExecutionCacheKey('a', 'bc', 't', [], {})).not.toBe(generateExecutionCacheKey('ab', 'c', 't', [], {}));
  });

  it('tells f(undefined), f(null) and f() apart', () => {
    const keys = [
      generateExecutionCacheKey('f', 'u', 't', [undefined], {}),
      generateExecutionCacheKey('f', 'u', 't', [null], {}),
      generateExecutionCacheKey('f', 'u', 't', [], {}),
    ];
    expect(new Set(keys).size).toBe(3);
  });

  it('raises a TypeError for unserialisable arguments', () => {
    expect(() => generateExecutionCacheKey('f', 'u', 't', [1n], {})).toThrow(TypeError);
    expect(() => generateExecutionCacheKey('f', 'u', 't', [], { m: new Map() })).toThrow(/Map/);
  });
});

describe('cacheKeyText / hashCacheKeyText', () => {
  it('hashing the text of parts appended to a prefix equals generateCacheKey of all the parts', () => {
    const prefix = cacheKeyText(['FileTool', 'read']);
    const text = cacheKeyText(['u1', 't1', { b: 1, a: [1, 'x'] }], prefix);
    expect(hashCacheKeyText(text)).toBe(generateCacheKey(['FileTool', 'read', 'u1', 't1', { a: [1, 'x'], b: 1 }]));
    expect(cacheKeyText(['u2', 't1', {}], prefix)).not.toBe(cacheKeyText(['u1', 't1', {}], prefix));
  });
});

describe('flat-object fast path', () => {
  it('produces exactly the text of the general path', () => {
    // A flat object nested one level down takes the general path; at the top it takes the fast one.
    const samples: Array<Record<string, unknown>> = [
      { b: 'x', a: 1, c: true },
      { z: null, y: -0, x: 1e21, w: 0.1, v: 'quote"and\\backslash\n', u: undefined },
      { 'ü': 'é', A: 'upper', a: 'lower', '10': 'ten', '9': 'nine', '': 'empty' },
      Object.assign(Object.create(null), { k: 'null-proto' }),
      {},
    ];
    for (const sample of samples) {
      const fast = cacheKeyText([sample]);
      const general = cacheKeyText([[sample]]);
      expect(fast.slice(fast.indexOf('\n') + 1)).toBe(general.slice(general.indexOf('\n') + 2, -1));
    }
  });

  it('still rejects what the general path rejects', () => {
    expect(() => generateCacheKey([{ a: Number.NaN }])).toThrow(TypeError);
    expect(() => generateCacheKey([{ a: 1n }])).toThrow(TypeError);
    expect(() => generateCacheKey([{ a: () => 1 }])).toThrow(TypeError);
  });
});
