import { UncacheableResultError } from '@aiecs/executor';
import { decodeValue, encodeValue } from './serialise';

const V8_TAG = 0xff;

describe('encodeValue / decodeValue', () => {
  it.each([['text'], [42], [true], [null], [{ a: [1, 'x', { b: false }] }], [[]]])('JSON-exact %p is stored as JSON text', (value) => {
    const bytes = encodeValue(value, 'test');
    expect(bytes[0]).not.toBe(V8_TAG);
    expect(JSON.parse(bytes.toString('utf8'))).toStrictEqual(value);
    expect(decodeValue(bytes)).toStrictEqual(value);
  });

  it.each([
    ['-0', -0],
    ['NaN', Number.NaN],
    ['a BigInt inside', { n: 1n }],
    ['undefined inside', { a: undefined }],
    ['a hole', [1, , 2]], // eslint-disable-line no-sparse-arrays
    ['a Date', { at: new Date(3) }],
    ['a Map', new Map([[1, 2]])],
    ['an own toJSON', { toJSON: 'not called' }],
    [
      'a cycle',
      (() => {
        const o: Record<string, unknown> = {};
        o['self'] = o;
        return o;
      })(),
    ],
  ])('%s goes through V8 and comes back exactly', (_name, value) => {
    const bytes = encodeValue(value, 'test');
    expect(bytes[0]).toBe(V8_TAG);
    expect(decodeValue(bytes)).toStrictEqual(value);
  });

  it('typed arrays come back with buffers of their own, not views into the bytes read', () => {
    const bytes = Buffer.concat([Buffer.from('padding'), encodeValue(new Uint8Array([1, 2, 3]), 'test')]).subarray(7);
    const back = decodeValue(bytes) as Uint8Array;
    expect(back).toStrictEqual(new Uint8Array([1, 2, 3]));
    expect(back.byteOffset).toBe(0);
    expect(back.buffer.byteLength).toBe(3);
  });

  it('refuses functions and symbols with an UncacheableResultError', () => {
    expect(() => encodeValue({ f: () => 1 }, 'tool.op')).toThrow(UncacheableResultError);
    expect(() => encodeValue({ s: Symbol('s') }, 'tool.op')).toThrow(/tool.op/);
  });
});
