/**
 * How the cache stages keep results from being shared mutable objects, for every store.
 *
 * - A primitive result (string, number, boolean, bigint, symbol, null) is stored and returned as is.
 * - A result of plain data (plain objects, arrays, primitives) is stored as a deep-frozen copy, made
 *   in one walk: every hit (and every caller that joined the same flight) gets that one frozen value,
 *   at no cost per hit; the caller whose call ran the method gets its own original, mutable, and its
 *   changes never reach the cache.
 * - A result that also holds a `Map`, `Set`, `Date`, `RegExp`, `ArrayBuffer`, typed array or `DataView`
 *   (which `Object.freeze` cannot make read-only) is stored as a `structuredClone`, and each hit
 *   receives a `structuredClone` of its own.
 * - Anything else (a function, a class instance: `structuredClone` would drop its methods, a `Buffer`,
 *   a `Promise`, an `Error`, a value nested too deeply, a getter that throws) is not cached: the call
 *   returns it, and the stage reports it once (a `cacheError` with action `'set'`).
 *
 * Only own enumerable string-keyed properties are copied (as `structuredClone` and JSON do).
 */
/** What `prepareForCache` decided for a non-primitive result. */
export type PreparedResult =
  | { readonly kind: 'frozen'; readonly value: unknown }
  | { readonly kind: 'cloned'; readonly value: unknown }
  | { readonly kind: 'uncacheable'; readonly reason: string };

class NotPlainData {
  constructor(readonly value: unknown) {}
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const CLONED_LEAVES: readonly object[] = [
  Date.prototype,
  RegExp.prototype,
  ArrayBuffer.prototype,
  DataView.prototype,
  Int8Array.prototype,
  Uint8Array.prototype,
  Uint8ClampedArray.prototype,
  Int16Array.prototype,
  Uint16Array.prototype,
  Int32Array.prototype,
  Uint32Array.prototype,
  Float32Array.prototype,
  Float64Array.prototype,
  BigInt64Array.prototype,
  BigUint64Array.prototype,
];

/** A deep-frozen copy of plain data; throws `NotPlainData` at the first value that is not. */
function frozenCopy(value: unknown, copies: Map<object, object>): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function') throw new NotPlainData(value);
    return value;
  }
  const done = copies.get(value);
  if (done !== undefined) return done; // a shared reference or a cycle: one copy, like structuredClone
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw new NotPlainData(value);
    const out: unknown[] = new Array(value.length);
    copies.set(value, out);
    for (let i = 0; i < value.length; i++) out[i] = frozenCopy(value[i], copies);
    return Object.freeze(out);
  }
  if (!isPlainObject(value)) throw new NotPlainData(value);
  const out: Record<string, unknown> = {};
  copies.set(value, out);
  for (const key of Object.keys(value)) out[key] = frozenCopy((value as Record<string, unknown>)[key], copies);
  return Object.freeze(out);
}

/** Why `value` cannot be cached, or `undefined` when `structuredClone` copies it faithfully. */
function unsupportedPart(value: unknown, path: string, seen: Set<object>): string | undefined {
  if (typeof value === 'function') return `${path} is a function`;
  if (typeof value === 'symbol') return `${path} is a symbol`;
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
  seen.add(value);
  const proto = Object.getPrototypeOf(value);
  if (CLONED_LEAVES.includes(proto)) return undefined;
  if (value instanceof Map && proto === Map.prototype) {
    for (const [k, v] of value) {
      const found = unsupportedPart(k, `${path} (a Map key)`, seen) ?? unsupportedPart(v, `${path}.get(…)`, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value instanceof Set && proto === Set.prototype) {
    for (const v of value) {
      const found = unsupportedPart(v, `${path} (a Set member)`, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!(Array.isArray(value) && proto === Array.prototype) && !isPlainObject(value)) {
    const name = (proto as { constructor?: { name?: string } } | null)?.constructor?.name;
    return `${path} is an instance of ${name || 'a class'}`;
  }
  for (const key of Object.keys(value)) {
    const found = unsupportedPart(
      (value as Record<string, unknown>)[key],
      Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`,
      seen,
    );
    if (found !== undefined) return found;
  }
  return undefined;
}

/** True for a value that needs no copy: a primitive (or a function, which is never cached). */
export function isPrimitive(value: unknown): boolean {
  return typeof value !== 'object' || value === null;
}

/** Decides how a non-primitive result is kept (see the module comment). */
export function prepareForCache(value: object): PreparedResult {
  try {
    return { kind: 'frozen', value: frozenCopy(value, new Map()) };
  } catch (error) {
    if (!(error instanceof NotPlainData))
      return { kind: 'uncacheable', reason: error instanceof RangeError ? 'it is nested too deeply' : `reading it threw ${String(error)}` };
  }
  try {
    const reason = unsupportedPart(value, 'the result', new Set());
    if (reason !== undefined) return { kind: 'uncacheable', reason };
    return { kind: 'cloned', value: structuredClone(value) };
  } catch (error) {
    return { kind: 'uncacheable', reason: `copying it threw ${String(error)}` };
  }
}

/**
 * What a cache hit returns for `value` read from a store: a primitive or a frozen value (what the
 * stages store) as is, at no cost; a copy otherwise (a `structuredClone`d entry, or a value a store
 * hands back unfrozen, e.g. one it deserialised). A value that cannot be copied is returned as is.
 */
export function protectHit(value: unknown): unknown {
  if (isPrimitive(value) || Object.isFrozen(value)) return value;
  // A fresh copy either way: a frozen one of plain data, or a structuredClone.
  const prepared = prepareForCache(value as object);
  return prepared.kind === 'uncacheable' ? value : prepared.value;
}

// The original of each shared value, until one caller takes it. Keyed by the shared value, not by a
// call: the store stage may run under a flight's own call, not any caller's. Every caller of a flight
// then gets either the original (the first one to take it: the caller whose call started the flight,
// in practice) or the shared value; never the same mutable object as another caller or as the cache.
// An original no caller takes (every caller left at its deadline) lives as long as its shared value.
const originals = new WeakMap<object, unknown>();
// Shared values each caller must copy (those that cannot be frozen).
const copiedPerCaller = new WeakSet<object>();

/** The store stage keeps `shared` (a frozen or cloned copy of `own`) for the cache and the callers of the flight. */
export function handOff(shared: object, own: unknown, copyPerCaller: boolean): void {
  originals.set(shared, own);
  if (copyPerCaller) copiedPerCaller.add(shared);
}

/** What one caller receives for the `value` the pipeline below the lookup answered on a miss. */
export function resultForCaller(value: unknown): unknown {
  if (isPrimitive(value)) return value;
  const own = originals.get(value as object);
  if (own !== undefined) {
    originals.delete(value as object);
    return own;
  }
  return copiedPerCaller.has(value as object) ? structuredClone(value) : value;
}
