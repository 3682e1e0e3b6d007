import * as crypto from 'node:crypto';
import { types } from 'node:util';
import { isPlainJsonAscii, SHORT_SCAN_CHARS } from '../text/plainJsonAscii';

/**
 * Bumped whenever the encoding changes, so keys written by an older release (e.g. in a shared Redis)
 * can never be mistaken for keys of the new format. v2: typed encoding (see `generateCacheKey`);
 * v3: strings of `LONG_STRING_CHARS` or more encoded by their hash.
 */
const KEY_FORMAT = 'aiecs-cache-key/v3';

/** Objects and arrays nested deeper than this are refused (a validated input is far shallower). */
const MAX_DEPTH = 64;

// `crypto.hash` (Node >= 20.12) skips the Hash object allocation; older runtimes fall back.
const hashText: (text: string, encoding: 'hex' | 'base64url') => string =
  typeof crypto.hash === 'function'
    ? (text, encoding) => crypto.hash('sha256', text, encoding)
    : (text, encoding) => crypto.createHash('sha256').update(text).digest(encoding);
const sha256Hex = (text: string): string => hashText(text, 'hex');

/** Names built-in objects whose state is not in their own enumerable properties, so encoding those would collide. */
function ambiguousKind(value: object): string | undefined {
  if (types.isMap(value)) return 'a Map';
  if (types.isSet(value)) return 'a Set';
  if (types.isWeakMap(value) || types.isWeakSet(value)) return 'a WeakMap/WeakSet';
  if (types.isRegExp(value)) return 'a RegExp';
  if (types.isNativeError(value)) return 'an Error';
  if (types.isPromise(value)) return 'a Promise';
  if (types.isBoxedPrimitive(value)) return 'a boxed primitive';
  if (types.isAnyArrayBuffer(value) || types.isArrayBufferView(value)) return 'a binary buffer or typed array';
  return undefined;
}

/**
 * Hashes `parts` into a 64-char hex SHA-256 key that is stable across processes and object key order.
 *
 * Typed encoding: every value is written with a leading type tag, so two inputs share a key only if
 * they are the same data (`toJSON` is never called). Parts are joined by `\n` after `KEY_FORMAT`.
 * - string: its `JSON.stringify` text (the opening `"` is its tag); from `LONG_STRING_CHARS` (1024)
 *   characters on, `H` and the base64url SHA-256 of its UTF-8 (unless it has lone surrogates);
 * - number: its shortest round-trip text (`1`, `-2.5`, `1e+21`); `-0` is `-0`; NaN/±Infinity throw;
 * - boolean: `true` / `false`; null: `null`; undefined: `u` (at any depth, also as an object property);
 * - array: `[` elements separated by `,` `]`, a hole is `h` (so `[undefined]`, `[null]`, `[,]` differ);
 * - plain object: `{` `"key":value` pairs sorted by key (a null-prototype object: `N{…}`, since it is not
 *   deep-equal to a plain one)
 *   (code-unit order), separated by `,` `}`; a property holding `undefined` stays (`{"a":u}` is not `{}`);
 *   keys are read as data, `__proto__` included;
 * - Date: `D` and its epoch milliseconds (`D1704164645000`; an invalid Date is `DNaN`), never its ISO string;
 * - class instance: `C`, the JSON string of its constructor name, then its own enumerable string-keyed
 *   properties as for a plain object (`C"Point"{"x":1,"y":2}` is not `{"x":1,"y":2}`);
 * - refused with a `TypeError` naming the problem: bigint, functions, symbols, NaN/±Infinity, circular
 *   references, nesting deeper than 64, Map, Set, WeakMap/WeakSet, RegExp, Error, Promise, boxed
 *   primitives, binary buffers and typed arrays, array subclasses/foreign-realm arrays, Date subclasses and Dates with own properties.
 * Not distinguished: symbol-keyed and non-enumerable properties (ignored), two classes with the same name.
 */
export function generateCacheKey(parts: readonly unknown[]): string {
  return sha256Hex(cacheKeyText(parts));
}

/**
 * The canonical text `generateCacheKey` hashes, `parts` appended to `prefix` (itself a result of
 * this function, so a constant prefix such as tool and operation is encoded once).
 */
export function cacheKeyText(parts: readonly unknown[], prefix: string = KEY_FORMAT): string {
  let text = prefix;
  for (let i = 0; i < parts.length; i++) text = appendPart(text, parts[i]);
  return text;
}

/** SHA-256 hex of a `cacheKeyText` result: equals `generateCacheKey` of the same parts. */
export function hashCacheKeyText(text: string): string {
  return sha256Hex(text);
}

// No encoded value contains a raw `\n` (strings are JSON-escaped), and each one starts with its
// type tag, so the `\n`-joined concatenation is unambiguous.
function appendPart(text: string, part: unknown): string {
  // Ids and plain string arguments are the common parts: JSON.stringify of a string is already canonical.
  if (typeof part === 'string') return text + '\n' + encodeString(part);
  return text + '\n' + serialise(part);
}

function serialise(value: unknown): string {
  try {
    return fastText(value, 0);
  } catch (error) {
    if (error !== NOT_FAST) throw keyError(error);
  }
  try {
    return encodeValue(value, []);
  } catch (error) {
    throw keyError(error);
  }
}

function keyError(error: unknown): TypeError {
  const reason = error instanceof Error ? error.message : String(error);
  return new TypeError(`Cannot build a cache key: ${reason}`, { cause: error });
}

/** A number's text: the shortest round-trip form, `-0` kept apart from `0`; non-finite numbers throw. */
function encodeNumber(value: number): string {
  if (value === 0) return 1 / value < 0 ? '-0' : '0';
  if (!Number.isFinite(value)) throw new TypeError(`${value} has no faithful encoding; use null or a string instead`);
  return String(value);
}

/** `ancestors` holds the objects and arrays being encoded around `value`: cycle detection and depth. */
function encodeValue(value: unknown, ancestors: object[]): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'number':
      return encodeNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'u';
    case 'object':
      return value === null ? 'null' : encodeObject(value, ancestors);
    case 'bigint':
      throw new TypeError('a bigint has no faithful encoding; convert it to a string first');
    default:
      // function, symbol
      throw new TypeError(`a ${typeof value} cannot be part of a cache key`);
  }
}

function encodeObject(value: object, ancestors: object[]): string {
  if (ancestors.includes(value)) throw new TypeError('circular reference: the input contains itself');
  if (ancestors.length >= MAX_DEPTH) throw new TypeError(`input nested deeper than ${MAX_DEPTH} levels`);
  const proto: unknown = Object.getPrototypeOf(value);
  ancestors.push(value);
  let text: string;
  if (Array.isArray(value)) {
    if (proto !== Array.prototype)
      throw new TypeError('an Array subclass or an array from another realm is not supported; copy it into a plain array');
    text = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) text += ',';
      if (typeof item === 'string') text += encodeString(item);
      else text += item === undefined && !(i in value) ? 'h' : encodeValue(item, ancestors);
    }
    text += ']';
  } else if (proto === Object.prototype) {
    text = encodeProperties(value, ancestors);
  } else if (proto === null) {
    // Not deep-equal to a plain object with the same properties: a key of its own.
    text = 'N' + encodeProperties(value, ancestors);
  } else {
    const kind = ambiguousKind(value);
    if (kind !== undefined) {
      throw new TypeError(`${kind} has no faithful encoding; convert it to a plain object or array first`);
    }
    if (types.isDate(value)) {
      if (constructorName(proto) !== 'Date' || Object.keys(value).length > 0) {
        throw new TypeError('a Date subclass or a Date with own properties has no faithful encoding');
      }
      text = 'D' + String(Date.prototype.getTime.call(value));
    } else {
      text = 'C' + JSON.stringify(constructorName(proto)) + encodeProperties(value, ancestors);
    }
  }
  ancestors.pop();
  return text;
}

function constructorName(proto: unknown): string {
  const ctor: unknown = typeof proto === 'object' && proto !== null ? (proto as { constructor?: unknown }).constructor : undefined;
  return typeof ctor === 'function' ? ctor.name : '';
}

/** `{"key":value,...}` over the own enumerable string keys, sorted; values are read, never assigned. */
function encodeProperties(value: object, ancestors: object[]): string {
  const record = value as Record<string, unknown>;
  const keys = Object.keys(value).sort();
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = record[key];
    text +=
      (i === 0 ? '' : ',') + JSON.stringify(key) + ':' + (typeof item === 'string' ? encodeString(item) : encodeValue(item, ancestors));
  }
  return text + '}';
}

/** The encoding of one plain object's keys in sorted order, reused while objects of that shape keep coming. */
interface Shape {
  /** The keys in the object's own enumeration order (`Object.keys`). */
  readonly keys: readonly string[];
  /** Indexes into `keys`, in code-unit order of the keys. */
  readonly order: readonly number[];
  /** Per sorted position: `,"key":` (no comma for the first). */
  readonly heads: readonly string[];
}

/** Recently seen object shapes (a small most-recent-last list: inputs of one schema share one or two). */
const shapes: Shape[] = [];
const MAX_SHAPES = 32;

/** Past this many keys, `Object.keys` beats `for...in` (see `sameKeys`). */
const FOR_IN_MAX_KEYS = 16;

/**
 * True when `value`'s own enumerable keys are `keys`, in order. Small objects are walked with
 * `for...in` (no array); an object with many keys with `Object.keys`: one built in code with many
 * keys is in V8's dictionary mode, where `for...in` checks every key again (measured on 100 keys:
 * 3.1 µs against 1.8 µs; on 3 keys `for...in` is the faster, 8 against 15 ns).
 */
function sameKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  if (keys.length > FOR_IN_MAX_KEYS) {
    const own = Object.keys(value);
    if (own.length !== keys.length) return false;
    for (let i = 0; i < own.length; i++) if (own[i] !== keys[i]) return false;
    return true;
  }
  let i = 0;
  for (const key in value) {
    if (!hasOwn.call(value, key)) continue;
    if (keys[i] !== key) return false;
    i++;
  }
  return i === keys.length;
}

/**
 * The `Shape` of plain object `value`: found by comparing its keys, in enumeration order, with the
 * recent shapes (`sameKeys`), else built (sorted once) and remembered. Saves the sort and the key
 * escaping per object.
 */
function shapeOf(value: Record<string, unknown>): Shape {
  for (let s = shapes.length - 1; s >= 0; s--) if (sameKeys(value, shapes[s]!.keys)) return shapes[s]!;
  const keys = Object.keys(value);
  const order = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
  const shape: Shape = { keys, order, heads: order.map((k, n) => (n === 0 ? '' : ',') + JSON.stringify(keys[k]) + ':') };
  if (shapes.length === MAX_SHAPES) shapes.shift();
  shapes.push(shape);
  return shape;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Thrown by the fast encoder for anything it leaves to `encodeValue` (which also names what is wrong). */
const NOT_FAST: unique symbol = Symbol('not fast');

/**
 * The common inputs — plain objects and arrays of strings, finite numbers, booleans, nulls and
 * undefineds, nested up to the depth limit — encoded in one walk without the general encoder's
 * cycle list or per-object sort: keys come in the order of their object's `Shape`. The text is
 * exactly what `encodeValue` produces; anything else (Dates, class instances, holes, null-prototype
 * objects, values that have no key) throws `NOT_FAST` and the general encoder starts over.
 */
function fastText(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'number':
      if (value === 0) return 1 / value < 0 ? '-0' : '0';
      if (!Number.isFinite(value)) throw NOT_FAST;
      return String(value); // the same text as JSON.stringify for a finite number, and cached by V8 for small integers
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'u';
    case 'object':
      break;
    default:
      throw NOT_FAST;
  }
  if (value === null) return 'null';
  // A cycle goes past the limit too: the general encoder then tells which of the two it is.
  if (depth >= MAX_DEPTH) throw NOT_FAST;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const array = value as unknown[];
    let text = '[';
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      if (item === undefined && !(i in array)) throw NOT_FAST; // a hole
      text += (i === 0 ? '' : ',') + (typeof item === 'string' ? encodeString(item) : fastText(item, depth + 1));
    }
    return text + ']';
  }
  if (proto !== Object.prototype) throw NOT_FAST;
  const record = value as Record<string, unknown>;
  const { keys, order, heads } = shapeOf(record);
  let text = '{';
  for (let n = 0; n < order.length; n++) {
    const item = record[keys[order[n]!]!];
    text += heads[n]! + (typeof item === 'string' ? encodeString(item) : fastText(item, depth + 1));
  }
  return text + '}';
}

/** Strings at least this long are encoded by their SHA-256 (`H…`): one pass over them, a short key. */
export const LONG_STRING_CHARS = 1024;

/**
 * What `JSON.stringify` would escape (controls, `"`, `\\`) and surrogates (it escapes lone ones). A string
 * without any is its own JSON text between quotes: one regex scan instead of a native call that
 * copies the string (~40 ns less per short string here; the key text is copied once, when flattened).
 */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/**
 * A string's encoding: its JSON text (the opening `"` is its tag), or, for a long well-formed string,
 * `H` and the base64url SHA-256 of its UTF-8 bytes (43 characters). Well-formed: without lone
 * surrogates, which UTF-8 would turn into U+FFFD (two strings, one hash); those keep their JSON
 * text. V8 answers `isWellFormed` at once for one-byte strings.
 */
function encodeString(value: string): string {
  if (value.length <= SHORT_SCAN_CHARS && isPlainJsonAscii(value)) return '"' + value + '"';
  if (value.length < LONG_STRING_CHARS) return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : '"' + value + '"';
  if (isWellFormed === undefined || !isWellFormed.call(value)) return JSON.stringify(value);
  return 'H' + hashText(value, 'base64url');
}

/**
 * Cache key of one operation call, scoped to the user and task so that cached results never leak across them.
 * Positional `args` are spread as separate parts so `f(undefined)`, `f(null)` and `f()` get different keys.
 */
export function generateExecutionCacheKey(
  funcName: string,
  userId: string,
  taskId: string,
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
): string {
  // Same text as generateCacheKey([funcName, userId, taskId, kwargs, ...args]) without building that array;
  // kwargs sits at a fixed position before the variable-length args, which keeps the layout unambiguous.
  let text = appendPart(appendPart(appendPart(appendPart(KEY_FORMAT, funcName), userId), taskId), kwargs);
  for (let i = 0; i < args.length; i++) text = appendPart(text, args[i]);
  return sha256Hex(text);
}
