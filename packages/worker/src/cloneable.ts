/**
 * What may cross between threads without changing: structured clone keeps these and their contents.
 * A class instance would cross as a plain object without its prototype (its methods and getters gone),
 * so it is refused rather than stripped silently; functions and symbols cannot cross at all.
 */
const CLONED_AS_IS: ReadonlySet<object> = new Set<object>(
  [
    Date,
    RegExp,
    Boolean,
    Number,
    String,
    BigInt,
    ArrayBuffer,
    SharedArrayBuffer,
    DataView,
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
    Error,
    EvalError,
    RangeError,
    ReferenceError,
    SyntaxError,
    TypeError,
    URIError,
  ].map((ctor) => ctor.prototype as object),
);

/**
 * Where `value` holds something structured clone would refuse or silently change, as
 * `"<path> is <what>"` (`result.items[2] is an instance of Parser`), or `undefined` when it crosses intact:
 * primitives (not symbols), plain objects, arrays, Map, Set, Date, RegExp, binary data and built-in errors.
 */
export function findUncloneable(value: unknown, path = 'result'): string | undefined {
  return walk(value, path, new Set());
}

function walk(value: unknown, path: string, seen: Set<object>): string | undefined {
  if (typeof value === 'function') return `${path} is a function`;
  if (typeof value === 'symbol') return `${path} is a symbol`;
  if (typeof value !== 'object' || value === null) return undefined;
  // Structured clone keeps shared and circular references: each object is checked once.
  if (seen.has(value)) return undefined;
  seen.add(value);
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return walkArray(value, path, seen);
  if (proto === Object.prototype || proto === null) return walkEntries(value as Record<string, unknown>, path, seen);
  if (value instanceof Map) {
    if (proto !== Map.prototype) return `${path} is an instance of ${className(value)} (a Map subclass)`;
    let index = 0;
    for (const [key, item] of value) {
      const problem = walk(key, `${path}.keys[${index}]`, seen) ?? walk(item, `${path}.get(${describeKey(key, index)})`, seen);
      if (problem) return problem;
      index++;
    }
    return undefined;
  }
  if (value instanceof Set) {
    if (proto !== Set.prototype) return `${path} is an instance of ${className(value)} (a Set subclass)`;
    let index = 0;
    for (const item of value) {
      const problem = walk(item, `${path}.values[${index++}]`, seen);
      if (problem) return problem;
    }
    return undefined;
  }
  if (CLONED_AS_IS.has(proto as object)) return undefined;
  return `${path} is an instance of ${className(value)} (it would arrive as a plain object without its prototype and methods)`;
}

function walkArray(array: readonly unknown[], path: string, seen: Set<object>): string | undefined {
  if (Object.getPrototypeOf(array) !== Array.prototype) return `${path} is an instance of ${className(array)} (an Array subclass)`;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    // Numbers and strings (most of a large result) need no call.
    if (typeof item === 'object' || typeof item === 'function' || typeof item === 'symbol') {
      const problem = walk(item, `${path}[${i}]`, seen);
      if (problem) return problem;
    }
  }
  return undefined;
}

function walkEntries(object: Record<string, unknown>, path: string, seen: Set<object>): string | undefined {
  for (const key of Object.keys(object)) {
    const problem = walk(object[key], `${path}.${key}`, seen);
    if (problem) return problem;
  }
  return undefined;
}

function className(value: object): string {
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'an anonymous class';
}

function describeKey(key: unknown, index: number): string {
  return typeof key === 'string' ? JSON.stringify(key) : typeof key === 'number' ? String(key) : `keys[${index}]`;
}

/**
 * The part of `config` that crosses intact: values that pass {@link findUncloneable}, plain objects
 * reduced the same way. Functions (`classifyError`), loggers, cache stores and policy objects stay behind.
 */
export function cloneablePart(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const part: Record<string, unknown> = {};
  for (const key of Object.keys(config)) {
    const value = config[key];
    if (findUncloneable(value) === undefined) part[key] = value;
    else if (isPlainObject(value)) part[key] = cloneablePart(value);
  }
  return part;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
