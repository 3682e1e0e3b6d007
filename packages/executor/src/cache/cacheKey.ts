import * as crypto from 'node:crypto';
import { types } from 'node:util';
import { configure } from 'safe-stable-stringify';

/**
 * Bumped whenever the encoding changes, so keys written by an older release (e.g. in a shared Redis)
 * can never be mistaken for keys of the new format.
 */
const KEY_FORMAT = 'aiecs-cache-key/v1';

// Configured once: sorted keys make the text independent of insertion order, and every value JSON
// cannot represent faithfully throws instead of being dropped or coerced, which would make
// different inputs share a key.
const canonicalJson = configure({
  deterministic: true,
  strict: true,
  bigint: false,
  circularValue: Error,
});

// `crypto.hash` (Node >= 20.12) skips the Hash object allocation; older runtimes fall back.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** Names built-in objects that JSON would turn into `{}` (or a lossy shape), so two different values would collide. */
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

// Runs after `toJSON` (so Dates arrive as ISO strings and Buffers as `{type, data}`); plain objects
// and arrays leave after two cheap checks, only exotic objects pay for the `util.types` probes.
function rejectAmbiguous(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return value;
  const kind = ambiguousKind(value);
  if (kind !== undefined) {
    throw new TypeError(`${kind} has no faithful JSON form; convert it to a plain object or array first`);
  }
  return value;
}

/**
 * Hashes `parts` into a 64-char hex SHA-256 key that is stable across processes and object key order.
 *
 * Encoding rules (they decide which inputs share a key):
 * - objects are serialised with sorted keys; class instances contribute their own enumerable properties;
 * - object properties whose value is `undefined` are dropped (`{a: undefined}` and `{}` share a key),
 *   and `undefined` inside nested arrays becomes `null`, exactly as in JSON;
 * - a top-level `undefined` part is encoded distinctly (not as `null`), so `[undefined]` and `[null]` differ;
 * - `Date` becomes its ISO string (via `toJSON`), so a Date and the equal ISO string share a key;
 * - bigint, functions, symbols, NaN/±Infinity, circular references, Map, Set, RegExp, Error, Promise,
 *   boxed primitives and binary buffers throw a `TypeError` naming the problem instead of colliding.
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

// JSON text never starts with `u`, so this marker cannot collide with a serialised part; every JSON
// value is self-delimiting, so a plain separator keeps the concatenation unambiguous.
function appendPart(text: string, part: unknown): string {
  // Ids and plain string arguments are the common parts: JSON.stringify of a string is already canonical.
  if (typeof part === 'string') return text + '\n' + JSON.stringify(part);
  return part === undefined ? text + '\nu' : text + '\n' + (serialise(part) ?? 'u');
}

function serialise(value: unknown): string | undefined {
  const flat = flatCanonicalJson(value);
  if (flat !== undefined) return flat;
  try {
    return canonicalJson(value, rejectAmbiguous);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(`Cannot build a cache key: ${reason}`, { cause: error });
  }
}

const MAX_FLAT_KEYS = 32;

/**
 * The common input — a plain object of a few strings, finite numbers, booleans and nulls — encoded
 * without the library's replacer walk. The text is exactly what `canonicalJson` produces (sorted
 * keys, `undefined` properties dropped); anything else returns `undefined` and takes the full path.
 */
function flatCanonicalJson(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(value);
  if (keys.length > MAX_FLAT_KEYS) return undefined;
  keys.sort();
  const record = value as Record<string, unknown>;
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = record[key];
    let encoded: string;
    switch (typeof item) {
      case 'string':
        encoded = JSON.stringify(item);
        break;
      case 'number':
        if (!Number.isFinite(item)) return undefined;
        encoded = JSON.stringify(item);
        break;
      case 'boolean':
        encoded = item ? 'true' : 'false';
        break;
      case 'undefined':
        continue;
      default:
        if (item !== null) return undefined;
        encoded = 'null';
    }
    text += (text.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + encoded;
  }
  return text + '}';
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
