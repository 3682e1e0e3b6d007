import fc from 'fast-check';
import { SecurityError } from '@aiecs/core';
import { measureInput } from '../security/inputSize';
import { inputSize } from './inputSize';
import { build, closeServices, configErrorOf, fakeNext, makeCall, PATH, sources } from './concern.testkit';

afterEach(closeServices);

describe('measureInput', () => {
  it.each([
    ['a flat object', { a: 'x', b: 1, c: true, d: null }],
    ['nested arrays and objects', { items: [{ name: 'é€😀', qty: 2 }, [1, 2.5, -3e21]], empty: {}, none: [] }],
    ['escapes', { q: 'say "hi"\\ \n\t' }],
    ['left-out values', { u: undefined, f: () => 1, list: [undefined, 1] }],
    ['a date', { when: new Date(0) }],
    ['a string', 'plain'],
  ])('counts %s as JSON.stringify does (UTF-8 bytes)', (_name, value) => {
    expect(measureInput(value, Number.MAX_SAFE_INTEGER).bytes).toBe(Buffer.byteLength(JSON.stringify(value)));
  });

  // Strings on the plain-ASCII fast path and off it (quotes, backslashes, \b \f \n \r \t, non-ASCII, lone
  // surrogates) must count exactly what JSON.stringify writes. Other control characters are approximate (see module).
  it('counts any JSON value of such strings exactly as JSON.stringify does (property test)', () => {
    const unit = fc.oneof(
      fc.constantFrom('"', '\\', '\n', '\t', '\b', '\f', '\r', 'é', '€', '😀', '\ud800', '\udfff'),
      fc.integer({ min: 0x20, max: 0xffff }).map((code) => String.fromCharCode(code)),
    );
    const text = fc.string({ unit, maxLength: 40 });
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.boolean(),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(text, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (input) => {
        expect(measureInput(input, Number.MAX_SAFE_INTEGER).bytes).toBe(Buffer.byteLength(JSON.stringify(input)));
      }),
      { numRuns: 1000 },
    );
  });

  it('stops at the limit and names the field being measured', () => {
    const measured = measureInput({ small: 'x', big: 'y'.repeat(2_000), after: 'z'.repeat(10_000) }, 1_000);
    expect(measured.field).toBe('big');
    expect(measured.bytes).toBeGreaterThan(1_000);
    expect(measured.bytes).toBeLessThan(3_000); // `after` was never measured
  });

  it('counts Map and Set contents and cuts cycles', () => {
    expect(measureInput({ m: new Map([['k', 'v'.repeat(100)]]) }, 50).field).toBe('m.0');
    expect(measureInput({ s: new Set(['v'.repeat(100)]) }, 50).field).toBe('s.0');
    const cyclic: Record<string, unknown> = { a: 'x' };
    cyclic.self = cyclic;
    expect(measureInput(cyclic, 1_000).field).toBeUndefined();
  });

  it('measures each input afresh: after a limit, a throwing getter, and from inside a getter', () => {
    expect(measureInput({ big: 'y'.repeat(2_000) }, 100).field).toBe('big');
    expect(measureInput({ a: 'x' }, 1_000)).toEqual({ bytes: 9 });
    const throwing = {
      get broken(): string {
        throw new Error('getter');
      },
    };
    expect(() => measureInput({ list: [throwing] }, 1_000)).toThrow('getter');
    const shared = { s: 'x' };
    expect(measureInput([shared, shared], 1_000)).toEqual({ bytes: Buffer.byteLength(JSON.stringify([shared, shared])) });
    // A getter that measures another input (a nested call) leaves the outer measure intact.
    let inner: unknown;
    const outer = {
      first: 'abc',
      get second(): string {
        inner = measureInput({ other: ['p', 'q'] }, 1_000);
        return 'de';
      },
    };
    expect(measureInput(outer, 1_000)).toEqual({ bytes: Buffer.byteLength('{"first":"abc","second":"de"}') });
    expect(inner).toEqual({ bytes: Buffer.byteLength('{"other":["p","q"]}') });
    expect(measureInput({ over: 'z'.repeat(50) }, 10)).toMatchObject({ bytes: 59, field: 'over' }); // "over": and the string
  });

  it('does not overflow the stack on deep nesting', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(measureInput(deep, 10_000_000)).toMatchObject({ tooDeep: true });
  });
});

describe('inputSize plan', () => {
  it('is the configured limit, per operation first; 0 turns it off', () => {
    expect(inputSize.plan(sources())).toEqual({ maxBytes: 10 * 1024 * 1024 });
    expect(inputSize.plan(sources({ config: { maxInputSize: 1_000 } }))).toEqual({ maxBytes: 1_000 });
    expect(inputSize.plan(sources({ config: { maxInputSize: 1_000 }, configured: { maxInputSize: 50 } }))).toEqual({ maxBytes: 50 });
    expect(inputSize.plan(sources({ config: { maxInputSize: 0 } }))).toBeUndefined();
  });

  it('checks operations.<op>.maxInputSize', () => {
    expect(configErrorOf(() => inputSize.check!({ maxInputSize: -1 }, PATH)).option).toBe(`${PATH}.maxInputSize`);
    expect(() => inputSize.check!({ maxInputSize: 10 }, PATH)).not.toThrow();
  });
});

describe('inputSize stage', () => {
  const MB = 1024 * 1024;

  it('refuses 300,000 emoji (1.2 MB of UTF-8) against a 1 MB limit before the next stage runs', async () => {
    const next = fakeNext();
    const { stage } = build(inputSize, { maxBytes: MB });
    const text = '😀'.repeat(300_000);
    expect(text.length).toBe(600_000); // under the limit in UTF-16 units: only bytes tell
    const error = await stage
      .wrap(next)(makeCall(), { text })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecurityError);
    expect(error).toMatchObject({ field: 'text', rule: 'maxInputSize', kind: 'caller' });
    expect((error as Error).message.length).toBeLessThan(300);
    expect(next).not.toHaveBeenCalled();
  });

  it('passes what fits, unchanged', async () => {
    const next = fakeNext();
    const input = { text: 'a'.repeat(1_000) };
    await expect(build(inputSize, { maxBytes: MB }).stage.wrap(next)(makeCall(), input)).resolves.toBe('result');
    expect(next.mock.calls[0]![1]).toBe(input);
  });

  it('leaves an input whose getter throws to validation', async () => {
    const next = fakeNext();
    const input = Object.defineProperty({}, 'bad', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    await expect(build(inputSize, { maxBytes: MB }).stage.wrap(next)(makeCall(), input)).resolves.toBe('result');
  });
});
