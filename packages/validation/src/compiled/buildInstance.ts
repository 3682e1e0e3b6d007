import { isForbiddenKey } from '../strict/depth';
import { joinPath } from '../strict/path';
import type { ClassPlan, NestedField, NestedPlan } from './classPlan';

/** What one compiled check records: whether it failed, and (tests only) where. */
export interface CheckState {
  readonly maxDepth: number;
  failed: boolean;
  /** Failing paths, as the general path reports them; only collected when given. */
  readonly failures: Set<string> | undefined;
}

/** Thrown when an input is outside what the compiled path reproduces: the general path decides. */
export class Undecided extends Error {}

/** One instance, thrown without building a stack (undecided inputs are rare, not exceptional). */
export const UNDECIDED: Undecided = new Undecided('left to the general path');

const hasOwn = Object.prototype.hasOwnProperty;

/** Records a failure at `path`. */
export function fail(state: CheckState, path: string): void {
  state.failed = true;
  state.failures?.add(path);
}

/** Throws `UNDECIDED` when a container at `depth` is deeper than `maxDepth` (the root is at depth 1). */
function enter(state: CheckState, depth: number): void {
  if (depth > state.maxDepth) throw UNDECIDED;
}

/**
 * A copy of a value of a property without `@Type`, as `plainToInstance` makes it (no implicit
 * conversion): primitives and functions as they are, arrays and plain objects copied item by item.
 * A null-prototype object is copied into `{}`, as `plainToInstance` does. Anything else (a Date, a
 * Map, a class instance, a hole, a key that
 * `plainToInstance` would skip or that the strict checks refuse) is undecided.
 */
export function copyValue(value: unknown, depth: number, state: CheckState): unknown {
  if (typeof value !== 'object' || value === null) return value;
  enter(state, depth);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const array = value as unknown[];
    const copy: unknown[] = [];
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      if (item === undefined && !(i in array)) throw UNDECIDED; // plainToInstance drops holes
      copy.push(copyValue(item, depth + 1, state));
    }
    return copy;
  }
  if (proto !== Object.prototype && proto !== null) throw UNDECIDED;
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key in record) {
    if (!hasOwn.call(record, key)) continue;
    // plainToInstance skips keys an empty object already has (toString…); the strict checks refuse others.
    if (key in copy || isForbiddenKey(key)) throw UNDECIDED;
    copy[key] = copyValue(record[key], depth + 1, state);
  }
  return copy;
}

/** A plain object of this realm (`{}`, a JSON object, `Object.create(null)`): what the compiled path builds instances from. */
export function isOrdinaryObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The value of a `@Type(() => Class)` property, as `plainToInstance` makes it: a plain object becomes
 * an instance of the class, an array an array of them (primitives, null and undefined kept as they
 * are, for validation to judge). Records the strict checks' structural failures: an array for a
 * property without an `each: true` rule, a single object for one with it (see `checkStructure`).
 */
function buildNested(
  nested: NestedPlan & { readonly collection: boolean },
  value: unknown,
  depth: number,
  path: string,
  state: CheckState,
): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw UNDECIDED;
    enter(state, depth);
    if (!nested.collection) fail(state, path); // { isPlainObject }
    const built: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'object' || item === null) {
        if (item === undefined && !(i in value)) throw UNDECIDED;
        built.push(item);
      } else if (isOrdinaryObject(item)) {
        built.push(buildInstance(nested.target, item, depth + 1, joinPath(path, i), state));
      } else {
        throw UNDECIDED; // an array in an array, a Date…: the general path reports it
      }
    }
    return built;
  }
  if (!isOrdinaryObject(value)) throw UNDECIDED;
  if (nested.collection) fail(state, path); // { isArray }
  return buildInstance(nested.target, value, depth, path, state);
}

/** `plan.fields` entries of `keys`, index for index: the last key list's when `keys` are the same (compared in order). */
function fieldsOf(plan: ClassPlan, keys: readonly string[]): ReadonlyArray<NestedField | null | undefined> {
  const last = plan.lastShape;
  if (last !== undefined && sameList(last.keys, keys)) return last.fields;
  const fields = keys.map((key) => plan.fields.get(key));
  plan.lastShape = { keys, fields };
  return fields;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `plainToInstance(plan.cls, input)` for a schema the compiler planned, with the strict checks that
 * look at the input on the way: unknown properties (a key not declared whose value is not
 * undefined) are failures at their path. `input` is an ordinary plain object at `depth`.
 */
export function buildInstance(plan: ClassPlan, input: Record<string, unknown>, depth: number, path: string, state: CheckState): object {
  enter(state, depth);
  const instance = new plan.cls() as Record<string, unknown>;
  // Object.keys, not for…in: see inputSize's visitObject (many keys built in code).
  const keys = Object.keys(input);
  const fields = fieldsOf(plan, keys);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = input[key];
    const field = fields[i];
    if (field === undefined) {
      if (isForbiddenKey(key) || key in instance) throw UNDECIDED;
      // { whitelistValidation }; an undefined value is an absent property, and plainToInstance assigns it.
      if (value !== undefined) fail(state, joinPath(path, key));
      else instance[key] = undefined;
      continue;
    }
    instance[key] = field === null ? copyValue(value, depth + 1, state) : buildNested(field, value, depth + 1, joinPath(path, key), state);
  }
  return instance;
}
