import { UncacheableResultError } from '@aiecs/executor';
import * as v8 from 'node:v8';

/**
 * Values are stored in one of two built-in formats, whichever keeps them exactly:
 *
 * - **JSON** (UTF-8), when the value is JSON-exact: strings, finite numbers other than `-0`, booleans, null,
 *   and plain objects and arrays of those (no `undefined`, no holes, no `toJSON`). Measured reason:
 *   `v8.deserialize` costs ~9 µs even for a number here (it builds a deserializer object per call), against
 *   ~0.1–1 µs for `JSON.parse` of typical small results, next to a ~60 µs Redis round trip.
 * - **V8 structured serialisation** (`v8.serialize`, the format `structuredClone` and worker messages use)
 *   for everything else, so types survive that JSON would lose: `Date`, `Map`, `Set`, `BigInt`, `RegExp`,
 *   `Buffer` (comes back a `Buffer`), typed arrays, `DataView`, `ArrayBuffer`, boxed primitives, `Error`s
 *   (name, message, stack), `undefined` inside objects and arrays, array holes, `-0`, `NaN`, `±Infinity`,
 *   shared references and cycles.
 *
 * The formats are told apart by the first byte: V8's output starts with its version tag `0xFF`, which no
 * JSON text does. Either way, not preserved: prototypes (a class instance comes back as a plain object of
 * its own enumerable properties; a null-prototype object as a plain one), getters (their values are
 * stored), symbol-keyed and non-enumerable properties (dropped). Refused (the value is not cached):
 * functions, symbols, Promises, WeakMaps/WeakSets and other host objects.
 */
export function encodeValue(value: unknown, where: string): Buffer {
  const json = jsonExactText(value);
  if (json !== undefined) return Buffer.from(json, 'utf8');
  try {
    return v8.serialize(value);
  } catch (error) {
    throw new UncacheableResultError(where, `it cannot be serialised (${(error as Error).message})`);
  }
}

/** V8's serialisation starts with this version tag. */
const V8_VERSION_TAG = 0xff;

class NotJsonExact extends Error {}

function isPlainContainer(value: object): boolean {
  if (Array.isArray(value)) return Object.getPrototypeOf(value) === Array.prototype;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && !('toJSON' in value);
}

/** Refuses, during `JSON.stringify`, every value JSON would change (`this[key]` is the value before `toJSON`). */
function exactOnly(this: Record<string, unknown>, key: string, converted: unknown): unknown {
  const raw = this[key];
  switch (typeof raw) {
    case 'string':
    case 'boolean':
      return converted;
    case 'number':
      if (Number.isFinite(raw) && !Object.is(raw, -0)) return converted;
      throw new NotJsonExact();
    case 'object':
      if (raw === null || isPlainContainer(raw)) return converted;
      throw new NotJsonExact();
    default: // undefined (a property or a hole), bigint, function, symbol
      throw new NotJsonExact();
  }
}

/** The JSON text of `value` when JSON keeps it exactly, else `undefined`. */
function jsonExactText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, exactOnly);
  } catch {
    return undefined; // not JSON-exact, or a cycle: V8's format handles (or refuses) it
  }
}

/**
 * Node's deserialiser returns typed arrays, `Buffer`s and `DataView`s as views into the bytes it reads
 * (for a Redis reply, the socket's chunk): their `.buffer` would expose (and keep alive) the rest of it.
 * Each one is copied into memory of its own.
 */
// `_readHostObject` is the documented hook of `v8.DefaultDeserializer` (Node docs, "Serialization API"), untyped in @types/node.
class OwnBuffersDeserializer extends v8.DefaultDeserializer {
  _readHostObject(): unknown {
    const view = (v8.DefaultDeserializer.prototype as unknown as { _readHostObject(): unknown })._readHostObject.call(this);
    if (Buffer.isBuffer(view)) return Buffer.from(view);
    if (view instanceof DataView) return new DataView(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
    if (ArrayBuffer.isView(view)) return (view as unknown as { slice(): unknown }).slice();
    return view;
  }
}

/** The value `encodeValue` wrote; throws on bytes that are not (a key someone else wrote). */
export function decodeValue(bytes: Buffer): unknown {
  if (bytes[0] !== V8_VERSION_TAG) return JSON.parse(bytes.toString('utf8'));
  const deserializer = new OwnBuffersDeserializer(bytes);
  deserializer.readHeader();
  return deserializer.readValue();
}
