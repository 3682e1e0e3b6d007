/**
 * The size of an input as JSON, in UTF-8 bytes, measured without serialising it: strings by
 * `Buffer.byteLength` (native, no copy) plus their quotes and escapes, numbers by their decimal form, and the
 * punctuation of objects and arrays. The walk stops as soon as the running total passes the limit, so a
 * hostile input costs at most about `limit` bytes of work, whatever its real size.
 *
 * Counted as JSON would: strings, numbers, booleans, null, plain and class-instance objects (own enumerable
 * properties; `undefined`, functions and symbols are left out), arrays (holes and `undefined` as `null`), Dates
 * (their ISO string). Beyond JSON, what reaches the method all the same: a Map as its `[key, value]` pairs, a
 * Set as an array, binary data as its byte length. A reference back to an ancestor (a cycle) counts nothing:
 * later stages refuse cycles. Control characters other than `\b \f \n \r \t` are counted as 2 bytes, not the 6
 * of their `\u00XX` form (the bound is the point, not the exact figure).
 */

import { isPlainJsonAscii, SHORT_SCAN_CHARS } from '../text/plainJsonAscii';
import { LONG_SCAN_CHARS } from './securityRules';

const CONTROL = /[\x00-\x1f]/g;
/** Nesting beyond this is not measured further (no tool input needs it; later stages refuse far less). */
export const MEASURE_MAX_DEPTH = 1000;

/** What `measureInput` found: the bytes counted (more than the limit once exceeded), and the field where it stopped. */
export interface InputMeasure {
  readonly bytes: number;
  /** Dotted path of the value being measured when the limit was passed (`(input)` for the root). */
  readonly field?: string;
  /** True when nesting passed `MEASURE_MAX_DEPTH`. */
  readonly tooDeep?: boolean;
}

function countOf(value: string, char: string): number {
  let count = 0;
  for (let at = value.indexOf(char); at !== -1; at = value.indexOf(char, at + 1)) count++;
  return count;
}

/** A character that makes a string's JSON bytes differ from its length + 2: an escape, or anything beyond ASCII. */
const NOT_PLAIN_ASCII = /["\\\x00-\x1f\u0080-\uffff]/;

/** UTF-8 bytes of `value` as a JSON string: its quotes, and one more byte per `"`, `\` or control character. */
function stringBytes(value: string): number {
  // Most strings (property names, ids) are plain ASCII: a character loop (short ones) or one regex
  // scan instead of a native byteLength call, two indexOf scans and a regex (about 4x less per short
  // string here). Long ones take the native scans, which are faster per character (1 MB: ~0.4 ms less).
  if (value.length <= SHORT_SCAN_CHARS ? isPlainJsonAscii(value) : value.length < LONG_SCAN_CHARS && !NOT_PLAIN_ASCII.test(value))
    return value.length + 2;
  let bytes = Buffer.byteLength(value, 'utf8') + 2 + countOf(value, '"') + countOf(value, '\\');
  CONTROL.lastIndex = 0;
  if (CONTROL.test(value)) bytes += value.length - value.replace(CONTROL, '').length;
  // A lone surrogate is 3 bytes of U+FFFD to byteLength but a 6-byte `\udXXX` escape in JSON.
  if (SURROGATE.test(value)) bytes += 3 * (value.match(LONE_SURROGATE)?.length ?? 0);
  return bytes;
}

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function primitiveBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value);
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'bigint':
      return String(value).length;
    default:
      return 4; // null; undefined in an array
  }
}

/** True for values JSON leaves out of objects. */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * One measurement's state and walk. Methods on one reused instance rather than closures made per call:
 * a realistic input's measure went from ~410 to ~260 ns (measured, with the guarded resets below).
 */
class SizeWalk {
  total = 0;
  limit = 0;
  tooDeep = false;
  /** True while a measurement runs (a getter measuring another input gets a walk of its own). */
  busy = false;
  readonly path: Array<string | number> = [];
  /**
   * The objects being measured, root first: a cycle is a reference back to one of them. An array scan
   * rather than a Set: inputs are shallow, and a Set hashes each fresh object first (~70 ns of a realistic
   * miss, measured); nesting is bounded by MEASURE_MAX_DEPTH and by the limit (2 bytes a level).
   */
  readonly ancestors: object[] = [];

  /** Adds `bytes`; true when the limit is passed (the walk then unwinds without further work). */
  add(bytes: number): boolean {
    return (this.total += bytes) > this.limit;
  }

  visit(value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return this.add(primitiveBytes(value));
    if (this.ancestors.includes(value)) return false;
    if (this.path.length >= MEASURE_MAX_DEPTH) {
      this.tooDeep = true;
      return true;
    }
    if (value instanceof Date) return this.add(Number.isNaN(value.getTime()) ? 4 : 26);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return this.add(value.byteLength);
    if (value instanceof String) return this.add(stringBytes(value.valueOf()));
    this.ancestors.push(value);
    const over = Array.isArray(value)
      ? this.visitList(value)
      : value instanceof Map
        ? this.visitMap(value)
        : value instanceof Set
          ? this.visitList([...value])
          : this.visitObject(value);
    this.ancestors.pop();
    return over;
  }

  visitList(list: readonly unknown[]): boolean {
    if (this.add(2 + Math.max(0, list.length - 1))) return true;
    for (let i = 0; i < list.length; i++) {
      this.path.push(i);
      if (this.visit(list[i])) return true;
      this.path.pop();
    }
    return false;
  }

  visitMap(map: Map<unknown, unknown>): boolean {
    if (this.add(2 + Math.max(0, map.size - 1))) return true;
    let i = 0;
    for (const [key, child] of map) {
      this.path.push(i++);
      if (this.add(3) || this.visit(key) || this.visit(child)) return true;
      this.path.pop();
    }
    return false;
  }

  visitObject(object: object): boolean {
    let count = 0;
    // Object.keys, not for…in: on an object with many keys built in code (V8's dictionary mode) for…in
    // checks every key again; measured 1.8 vs 3.1 µs for 100 keys, against ~7 ns more on 3 keys (the key's
    // shape check, on the hit path, keeps for…in for small objects: see cacheKey's sameKeys).
    const keys = Object.keys(object);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const child = (object as Record<string, unknown>)[key];
      if (omitted(child)) continue;
      this.path.push(key);
      // `"key":` and a comma before every property but the first.
      if (this.add(stringBytes(key) + 1 + (count++ === 0 ? 0 : 1)) || this.visit(child)) return true;
      this.path.pop();
    }
    return this.add(2);
  }
}

/** The walk most measurements use (the walk is synchronous; see `SizeWalk.busy`). */
const sharedWalk = new SizeWalk();

/**
 * Measures `input` (see the module comment); stops once the total passes `limit`. Property getters run once
 * each; one that throws propagates (the caller decides what a value that cannot be read means).
 */
export function measureInput(input: unknown, limit: number): InputMeasure {
  const walk = sharedWalk.busy ? new SizeWalk() : sharedWalk;
  walk.busy = true;
  walk.total = 0;
  walk.limit = limit;
  walk.tooDeep = false;
  try {
    if (!walk.visit(input)) return { bytes: walk.total };
    const path = walk.path;
    return { bytes: walk.total, field: path.length === 0 ? '(input)' : path.join('.'), tooDeep: walk.tooDeep || undefined };
  } finally {
    // Empty after a walk that went through (pushes and pops pair up); setting a length costs even then.
    if (walk.path.length !== 0) walk.path.length = 0;
    if (walk.ancestors.length !== 0) walk.ancestors.length = 0;
    walk.busy = false;
  }
}
