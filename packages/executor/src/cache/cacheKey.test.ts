import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { createHash } from 'node:crypto';
import { cacheKeyText, generateCacheKey, generateExecutionCacheKey, hashCacheKeyText, LONG_STRING_CHARS } from './cacheKey';

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
    expect(generateCacheKey(['pinned'])).toBe('bd47b488848ebf17320c998c41311f2f79f1cf126d351be6982984d3d626c83b');
    // The typed encoding itself (documented in generateCacheKey): a change here is a new KEY_FORMAT.
    class Tag {
      constructor(readonly name: string) {}
    }
    expect(cacheKeyText(['op', { b: [1, -0, null, undefined, 'x'], a: { d: true, c: false } }, new Date(5), new Tag('t'), undefined])).toBe(
      'aiecs-cache-key/v3\n"op"\n{"a":{"c":false,"d":true},"b":[1,-0,null,u,"x"]}\nD5\nC"Tag"{"name":"t"}\nu',
    );
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

  it('keeps a nested undefined apart from null and from absence', () => {
    expect(generateCacheKey([{ a: undefined, b: 1 }])).not.toBe(generateCacheKey([{ b: 1 }]));
    expect(generateCacheKey([{ a: undefined }])).not.toBe(generateCacheKey([{ a: null }]));
    expect(generateCacheKey([[undefined]])).not.toBe(generateCacheKey([[null]]));
    expect(generateCacheKey([{ a: [undefined] }])).not.toBe(generateCacheKey([{ a: [null] }]));
    expect(generateCacheKey([{ a: { b: undefined } }])).not.toBe(generateCacheKey([{ a: {} }]));
    expect(generateCacheKey([{ a: { b: undefined } }])).toBe(generateCacheKey([{ a: { b: undefined } }]));
    // eslint-disable-next-line no-sparse-arrays
    expect(generateCacheKey([[, 1]])).not.toBe(generateCacheKey([[undefined, 1]]));
  });

  it('keeps -0 apart from 0, at the top, in flat objects and nested', () => {
    expect(generateCacheKey([-0])).not.toBe(generateCacheKey([0]));
    expect(generateCacheKey([{ n: -0 }])).not.toBe(generateCacheKey([{ n: 0 }]));
    expect(generateCacheKey([{ n: [-0] }])).not.toBe(generateCacheKey([{ n: [0] }]));
    expect(generateCacheKey([[-0.5]])).not.toBe(generateCacheKey([[-0]]));
  });

  it('encodes a Date as a Date, never as its ISO string', () => {
    const d = new Date('2024-01-02T03:04:05.000Z');
    expect(generateCacheKey([d])).not.toBe(generateCacheKey(['2024-01-02T03:04:05.000Z']));
    expect(generateCacheKey([{ at: d }])).not.toBe(generateCacheKey([{ at: '2024-01-02T03:04:05.000Z' }]));
    expect(generateCacheKey([{ at: d }])).not.toBe(generateCacheKey([{ at: d.getTime() }]));
    expect(generateCacheKey([{ at: d }])).not.toBe(generateCacheKey([{ at: new Date(0) }]));
    expect(generateCacheKey([{ at: d }])).toBe(generateCacheKey([{ at: new Date(d.getTime()) }]));
    expect(generateCacheKey([new Date(Number.NaN)])).toBe(generateCacheKey([new Date('invalid')]));
  });

  it('never calls toJSON: an object with toJSON and its JSON get different keys', () => {
    class Money {
      constructor(readonly cents: number) {}
      toJSON(): unknown {
        return { cents: this.cents };
      }
    }
    const toJSON = jest.spyOn(Money.prototype, 'toJSON');
    expect(generateCacheKey([new Money(5)])).not.toBe(generateCacheKey([{ cents: 5 }]));
    expect(generateCacheKey([{ m: new Money(5) }])).not.toBe(generateCacheKey([{ m: { cents: 5 } }]));
    expect(generateCacheKey([new Money(5)])).not.toBe(generateCacheKey([new Money(6)]));
    expect(toJSON).not.toHaveBeenCalled();
    // A plain object's own toJSON is a function value: refused rather than encoded as its result.
    expect(() => generateCacheKey([{ v: 1, toJSON: () => 'x' }])).toThrow(TypeError);
  });

  it('tags class instances with their constructor name, and null-prototype objects (not deep-equal to plain ones)', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    class Other {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const bare = Object.assign(Object.create(null) as object, { y: 2, x: 1 });
    expect(generateCacheKey([new Point(1, 2)])).not.toBe(generateCacheKey([{ x: 1, y: 2 }]));
    expect(generateCacheKey([{ p: new Point(1, 2) }])).not.toBe(generateCacheKey([{ p: { x: 1, y: 2 } }]));
    expect(generateCacheKey([new Point(1, 2)])).not.toBe(generateCacheKey([new Other(1, 2)]));
    expect(generateCacheKey([new Point(1, 2)])).toBe(generateCacheKey([new Point(1, 2)]));
    expect(generateCacheKey([bare])).not.toBe(generateCacheKey([{ x: 1, y: 2 }]));
    expect(generateCacheKey([bare])).toBe(generateCacheKey([Object.assign(Object.create(null) as object, { x: 1, y: 2 })]));
    expect(cacheKeyText([new Point(1, 2)], '')).toBe('\nC"Point"{"x":1,"y":2}');
  });

  it('reads __proto__ keys as data, without touching any prototype', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":1},"a":1}') as Record<string, unknown>;
    const defined = Object.defineProperty({ a: 1 }, '__proto__', { value: { polluted: 1 }, enumerable: true });
    expect(generateCacheKey([parsed])).toBe(generateCacheKey([defined]));
    expect(generateCacheKey([parsed])).not.toBe(generateCacheKey([{ a: 1 }]));
    expect(generateCacheKey([parsed])).not.toBe(generateCacheKey([{ a: 1, polluted: 1 }]));
    expect(generateCacheKey([{ nested: parsed }])).not.toBe(generateCacheKey([{ nested: { a: 1 } }]));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('cannot be confused by key or string text that looks like the encoding', () => {
    const keys = [
      generateCacheKey([{ a: 'x', b: 'y' }]),
      generateCacheKey([{ 'a":"x","b': 'y' }]),
      generateCacheKey([{ a: 'x","b":"y' }]),
      generateCacheKey([['u']]),
      generateCacheKey([[undefined]]),
      generateCacheKey([['null']]),
      generateCacheKey([[null]]),
      generateCacheKey([['-0']]),
      generateCacheKey([[-0]]),
      generateCacheKey([{ a: 1 }, { b: 2 }]),
      generateCacheKey([{ a: 1, b: 2 }]),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('accepts 64 levels of nesting and refuses deeper input with a TypeError', () => {
    const nest = (levels: number): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { v: value };
      return value;
    };
    expect(generateCacheKey([nest(64)])).toMatch(HEX64);
    expect(() => generateCacheKey([nest(65)])).toThrow(TypeError);
    expect(() => generateCacheKey([nest(65)])).toThrow(/deeper than 64/);
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
    ['Buffer', [Buffer.from('ab')], /binary buffer/],
    ['Array subclass', { a: new (class Stack extends Array<number> {})() }, /Array subclass/],
    ['Date subclass', { d: new (class Day extends Date {})(0) }, /Date subclass/],
    ['Date with own properties', { d: Object.assign(new Date(0), { tz: 'UTC' }) }, /own properties/],
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

  it('rejects cycles through arrays and class instances too', () => {
    class Node {
      next: unknown;
    }
    const node = new Node();
    node.next = [node];
    expect(() => generateCacheKey([node])).toThrow(/circular/);
    const list: unknown[] = [];
    list.push({ list });
    expect(() => generateCacheKey([{ a: 1, list }])).toThrow(/circular/);
  });

  it('tells deep-strict-equal values apart from all others (property-based, seeded)', () => {
    class Box {
      constructor(readonly v: unknown) {}
    }
    let seed = 0x2f6b3a1d;
    const random = (): number => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const scalars: readonly (() => unknown)[] = [
      () => pick(['', 'a', 'b', 'u', 'null', '0', '__proto__', 'é', '"', '\n']),
      () => pick([0, -0, 1, -1, 0.5, 1e21, 2 ** 53]),
      () => pick([true, false]),
      () => null,
      () => undefined,
      () => new Date(pick([0, 1, 1704164645000])),
    ];
    const keyNames = ['a', 'b', 'c', '__proto__', 'constructor', ''];
    // Builds with defineProperty so a `__proto__` key is an own property, never a prototype change.
    const generate = (depth: number): unknown => {
      const roll = random();
      if (depth >= 3 || roll < 0.45) return pick(scalars)();
      if (roll < 0.65) return Array.from({ length: Math.floor(random() * 3) }, () => generate(depth + 1));
      const target: object = roll < 0.93 ? {} : new Box(undefined);
      for (let i = Math.floor(random() * 3); i > 0; i--) {
        Object.defineProperty(target, pick(keyNames), { value: generate(depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return target;
    };
    // Same content, keys inserted in reverse order, fresh objects and Dates.
    const copy = (value: unknown): unknown => {
      if (value instanceof Date) return new Date(value.getTime());
      if (Array.isArray(value)) return value.map(copy);
      if (typeof value !== 'object' || value === null) return value;
      const target: object = value instanceof Box ? new Box(undefined) : {};
      for (const key of Object.keys(value).reverse()) {
        Object.defineProperty(target, key, {
          value: copy((value as Record<string, unknown>)[key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return target;
    };
    // A copy with one leaf swapped for a look-alike (-0/0, undefined/null/absent, Date/ISO/ms, instance/plain...).
    const define = (target: object, key: string, value: unknown): void => {
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    };
    const lookAlike = (value: unknown): unknown => {
      if (value === undefined) return null;
      if (value === null) return undefined;
      if (typeof value === 'number') return Object.is(value, -0) ? 0 : value === 0 ? -0 : String(value);
      if (value instanceof Date) return pick([value.toISOString(), value.getTime(), { ...value }]);
      if (value instanceof Box) return { ...value };
      if (Array.isArray(value)) return value.length === 0 ? {} : value.length === 1 ? value[0] : { ...value };
      if (typeof value === 'object') {
        if (Object.keys(value).length === 0) return [];
        const box = new Box(undefined);
        for (const [key, item] of Object.entries(copy(value) as object)) define(box, key, item);
        return box;
      }
      return pick(scalars)();
    };
    const tweak = (value: unknown): unknown => {
      if (typeof value === 'object' && value !== null && !(value instanceof Date) && random() < 0.7) {
        const keys = Object.keys(value);
        if (keys.length > 0) {
          const record = value as Record<string, unknown>;
          const chosen = pick(keys);
          if (Array.isArray(value)) return value.map((item, i) => (String(i) === chosen ? tweak(item) : copy(item)));
          const target: object = value instanceof Box ? new Box(undefined) : {};
          for (const key of keys) {
            if (key !== chosen) define(target, key, copy(record[key]));
            else if (record[key] !== undefined || random() < 0.5) define(target, key, tweak(record[key]));
            else if (key === 'v' && target instanceof Box) delete (target as { v?: unknown }).v; // undefined → absent
          }
          return target;
        }
      }
      return lookAlike(value);
    };
    let equalPairs = 0;
    let differentPairs = 0;
    for (let run = 0; run < 6000; run++) {
      const a = generate(0);
      const b = run % 4 === 0 ? copy(a) : run % 4 === 1 ? generate(0) : tweak(a);
      const equal = isDeepStrictEqual(a, b);
      if (equal) equalPairs++;
      else differentPairs++;
      if ((generateCacheKey([a]) === generateCacheKey([b])) !== equal) {
        throw new Error(
          `key equality disagrees with deep equality (${String(equal)}) for ${cacheKeyText([a], '')} / ${cacheKeyText([b], '')}`,
        );
      }
    }
    // The generator must exercise both sides of the property.
    expect(equalPairs).toBeGreaterThan(1000);
    expect(differentPairs).toBeGreaterThan(1000);
  });
});

/** Any UTF-16 code unit (lone surrogates included), with the characters JSON escapes drawn more often. */
const CODE_UNIT = fc.oneof(
  fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\ud800', '\udfff', '\ud83d\ude00'),
  fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
);

describe('short strings and numbers', () => {
  // The encoder writes a string without escapes between quotes itself and a number with String(): the
  // text must stay exactly JSON.stringify's, for every string (controls, quotes, backslashes, surrogate
  // pairs, lone surrogates) and every finite number but -0, at the top and inside objects and arrays.
  it('encode exactly as JSON.stringify does (property test)', () => {
    fc.assert(
      fc.property(fc.string({ unit: CODE_UNIT, maxLength: 64 }), fc.double({ noNaN: true, noDefaultInfinity: true }), (text, n) => {
        const number = Object.is(n, -0) ? 0 : n;
        expect(cacheKeyText([text], '')).toBe('\n' + JSON.stringify(text));
        expect(cacheKeyText([{ text, n: number, list: [text, number] }], '')).toBe(
          '\n' + JSON.stringify({ list: [text, number], n: number, text }),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('long strings', () => {
  const long = 'x'.repeat(LONG_STRING_CHARS);

  it('are encoded by their SHA-256 from LONG_STRING_CHARS on, at any depth, and stay apart', () => {
    expect(cacheKeyText([long], '')).toBe('\nH' + createHash('sha256').update(long).digest('base64url'));
    expect(cacheKeyText([long.slice(1)], '')).toBe('\n' + JSON.stringify(long.slice(1)));
    const keys = [
      cacheKeyText([{ text: long }]),
      cacheKeyText([{ text: long + 'y' }]),
      cacheKeyText([{ text: [long] }]),
      cacheKeyText([{ text: 'H' + createHash('sha256').update(long).digest('base64url') }]),
      cacheKeyText([{ text: long.slice(1) }]),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(cacheKeyText([{ b: 1, text: long }])).toBe(cacheKeyText([{ text: long, b: 1 }]));
    expect(cacheKeyText([{ text: long, d: new Date(0) }])).toContain('"text":H');
  });

  it('keep lone surrogates apart from U+FFFD (their UTF-8 would be the same)', () => {
    const lone = long + '\ud800';
    const replaced = long + '\ufffd';
    expect(generateCacheKey([lone])).not.toBe(generateCacheKey([replaced]));
    expect(generateCacheKey([{ t: lone }])).not.toBe(generateCacheKey([{ t: replaced }]));
  });
});

describe('object shapes (the fast encoder remembers recent key orders)', () => {
  it('never confuses objects whose keys are a prefix, a superset or a permutation of a recent shape', () => {
    const inputs = [{ a: 1, b: 2 }, { a: 1 }, { a: 1, b: 2, c: 3 }, { b: 2, a: 1 }, { a: 1, c: 3 }, { c: 3, b: 2, a: 1 }, {}];
    const texts = inputs.map((input) => cacheKeyText([input], ''));
    expect(texts).toEqual([
      '\n{"a":1,"b":2}',
      '\n{"a":1}',
      '\n{"a":1,"b":2,"c":3}',
      '\n{"a":1,"b":2}',
      '\n{"a":1,"c":3}',
      '\n{"a":1,"b":2,"c":3}',
      '\n{}',
    ]);
    // The same again, now that every shape is remembered.
    expect(inputs.map((input) => cacheKeyText([input], ''))).toEqual(texts);
  });

  it('encodes more shapes than it remembers', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ [`k${i}`]: i, z: 0 }));
    expect(many.map((o) => cacheKeyText([o], ''))).toEqual(many.map((_, i) => `\n{"k${i}":${i},"z":0}`));
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
      { z: null, y: -0, x: 1e21, w: 0.1, v: 'quote"and\\backslash\n', u: undefined, t: 0, s: -1.5 },
      { ['__proto__']: 'computed key is an own property', a: 'x' },
      { a: 1, b: [1, { c: -0 }], c: 'x', d: undefined, e: new Date(0), f: null },
      { a: Number.MAX_SAFE_INTEGER, b: Number.MIN_VALUE, c: -1e-7, d: '' },
      { ü: 'é', A: 'upper', a: 'lower', '10': 'ten', '9': 'nine', '': 'empty' },
      Object.assign(Object.create(null), { k: 'null-proto' }),
      {},
    ];
    for (let i = 0; i < 40; i++)
      samples.push(Object.fromEntries(Array.from({ length: i }, (_, k) => [`k${(k * 7) % 40}`, k % 3 ? k : -0])));
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
