import { UncacheableResultError } from '@aiecs/executor';
import * as v8 from 'node:v8';

/**
 * Values are stored as V8's structured-serialisation bytes (`v8.serialize`, Node's built-in, the format
 * `structuredClone` and worker messages use), so types survive the round trip that JSON would lose:
 * `Date`, `Map`, `Set`, `BigInt`, `RegExp`, `Buffer` (comes back a `Buffer`), typed arrays, `DataView`,
 * `ArrayBuffer`, boxed primitives, `Error`s (name, message, stack), `undefined` inside objects and arrays,
 * array holes, `-0`, `NaN`, `±Infinity`, shared references and cycles.
 *
 * Not preserved: prototypes (a class instance comes back as a plain object of its own enumerable
 * properties; a null-prototype object as a plain one), getters (their values are stored), symbol-keyed and
 * non-enumerable properties (dropped). Refused (the value is not cached): functions, symbols, Promises,
 * WeakMaps/WeakSets and other host objects.
 */
export function encodeValue(value: unknown, where: string): Buffer {
  try {
    return v8.serialize(value);
  } catch (error) {
    throw new UncacheableResultError(where, `it cannot be serialised (${(error as Error).message})`);
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
  const deserializer = new OwnBuffersDeserializer(bytes);
  deserializer.readHeader();
  return deserializer.readValue();
}
