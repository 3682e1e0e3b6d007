import type { FieldError } from '@aiecs/core';
import { isISO8601 } from 'class-validator';
import { rulesOf, type Condition } from './classRules';
import { joinPath } from './path';
import { isPlainObject } from './plainObject';

/** A nested object still to check, with its path from the root. */
interface Pending {
  readonly object: object;
  readonly path: string;
  /** The plain input object `object` was made from, when known (see `PropertyRule.inputKey`). */
  readonly input: object | undefined;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Appends `error` to `into`, creating the list at the first error (the valid path allocates nothing). */
function report(into: FieldError[] | undefined, error: FieldError): FieldError[] {
  if (!into) return [error];
  into.push(error);
  return into;
}

/** True when one of the `@IsOptional`/`@ValidateIf` conditions is false: class-validator then skips the property. */
function isSkipped(conditions: readonly Condition[], object: object, value: unknown): boolean {
  for (const condition of conditions) if (!condition(object, value)) return true;
  return false;
}

function isCollection(value: unknown): value is unknown[] | Set<unknown> | Map<unknown, unknown> {
  return Array.isArray(value) || value instanceof Set || value instanceof Map;
}

/** The items of an input collection, in iteration order (`undefined` for anything else). */
function itemsOf(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value instanceof Set) return [...value];
  if (value instanceof Map) return [...value.values()];
  return undefined;
}

/** An object (or a function) that is not a plain object: `@Type` would turn it into something it is not. */
function isNonPlainObject(value: unknown): boolean {
  return ((typeof value === 'object' && value !== null) || typeof value === 'function') && !isPlainObject(value);
}

/** `{ isPlainObject }` at `path`. */
function notPlain(path: string): FieldError {
  return { path, constraints: { isPlainObject: `${path} must be a plain object` } };
}

/**
 * Reports the input values of a nested property that are objects but not plain objects (arrays, Maps,
 * Sets, Dates, typed arrays, class instances): each item of `input` for an `each: true` rule, `input`
 * itself otherwise. Primitives and `null` are left to class-validator, which reports them.
 */
function checkPlain(input: unknown, collection: boolean, path: string, into: FieldError[] | undefined): FieldError[] | undefined {
  if (!collection) return isNonPlainObject(input) ? report(into, notPlain(path)) : into;
  if (input instanceof Map) {
    for (const [key, item] of input) if (isNonPlainObject(item)) into = report(into, notPlain(joinPath(path, String(key))));
  } else if (Array.isArray(input) || input instanceof Set) {
    let i = 0;
    for (const item of input) {
      if (isNonPlainObject(item)) into = report(into, notPlain(joinPath(path, i)));
      i++;
    }
  }
  return into;
}

/** What a `@Type(() => Date)` property may be given: a `Date`, or an ISO 8601 string (what its JSON Schema asks for). */
function isDateInput(value: unknown): boolean {
  return value instanceof Date || (typeof value === 'string' && isISO8601(value));
}

function notADate(path: string): FieldError {
  return { path, constraints: { isDate: `${path} must be an ISO 8601 date-time string or a Date` } };
}

/**
 * Reports the input values of a `@Type(() => Date)` property that are neither a `Date` nor an ISO 8601
 * string: each item of `input` for an `each: true` rule (a non-array is reported as `{ isArray }`),
 * `input` itself otherwise. `null` is left to class-validator (`@IsOptional` allows it).
 */
function checkDate(input: unknown, collection: boolean, path: string, into: FieldError[] | undefined): FieldError[] | undefined {
  if (!collection) return input === null || isDateInput(input) ? into : report(into, notADate(path));
  if (!Array.isArray(input)) return into;
  for (let i = 0; i < input.length; i++) if (!isDateInput(input[i])) into = report(into, notADate(joinPath(path, i)));
  return into;
}

/**
 * Queues the objects inside `value` (itself, or the object items of a collection), in collection
 * order, each with its plain input counterpart from `input` when that is a plain object.
 */
function queueNested(pending: Pending[], value: object, path: string, input: unknown): void {
  const plain = (candidate: unknown) => (isPlainObject(candidate) ? candidate : undefined);
  if (Array.isArray(value) || value instanceof Set) {
    const items = itemsOf(input);
    let i = 0;
    for (const item of value) {
      if (typeof item === 'object' && item !== null) pending.push({ object: item, path: joinPath(path, i), input: plain(items?.[i]) });
      i++;
    }
  } else if (value instanceof Map) {
    const items = itemsOf(input);
    let i = 0;
    for (const [key, item] of value) {
      if (typeof item === 'object' && item !== null)
        pending.push({ object: item, path: joinPath(path, String(key)), input: plain(items?.[i]) });
      i++;
    }
  } else {
    pending.push({ object: value, path, input: plain(input) });
  }
}

/**
 * Own properties of `object` the schema does not declare (`known`), unless `undefined`: reported, or
 * deleted when `forbidUnknown` is false. `for...in` rather than `Object.keys` so that an object
 * without unknown properties costs no allocation; inherited keys are skipped, as `Object.keys` would.
 */
function checkUnknown(
  object: object,
  path: string,
  known: ReadonlySet<string>,
  forbidUnknown: boolean,
  into: FieldError[] | undefined,
): FieldError[] | undefined {
  const record = object as Record<string, unknown>;
  for (const key in record) {
    if (!hasOwn.call(record, key) || known.has(key) || record[key] === undefined) continue;
    // Deleting the key being visited is safe in for...in: only keys not visited yet are affected.
    if (forbidUnknown)
      into = report(into, { path: joinPath(path, key), constraints: { whitelistValidation: `property ${key} should not exist` } });
    else delete record[key];
  }
  return into;
}

/**
 * Structural checks class-validator leaves open, run on a `plainToInstance` result and on every
 * object it validates as nested (properties whose `@IsOptional`/`@ValidateIf` condition is false
 * are skipped, as class-validator does):
 * - unknown properties: own properties the schema does not declare, unless `undefined` (with class
 *   fields every declared field is an own property, so "undefined" means "absent"). Reported as
 *   `{ whitelistValidation }` when `forbidUnknown`, else deleted;
 * - an `each: true` rule given a single value validates that value, so an object passes
 *   `@ValidateNested({ each: true }) items!: Item[]`: reported as `{ isArray }`;
 * - `@ValidateNested()` skips `undefined`, so a missing nested object passes: reported as `{ isDefined }`;
 * - with `input` (the plain input `root` was made from), a nested property's input value (each item
 *   of it for an `each: true` rule) must be a plain object: `@Type` turns any object into its class
 *   and class-validator validates arrays, Maps and Sets item by item, so `[[]]` or a Map would pass
 *   `@ValidateNested({ each: true }) items!: Item[]`. Other objects are reported as `{ isPlainObject }`
 *   (primitives and `null` are reported by class-validator). Input objects are paired with the
 *   instances along the way (see `PropertyRule.inputKey`); where they cannot be, this check stops;
 * - with `input`, a `@Type(() => Date)` property's input value (each item for `each: true`) must be a
 *   `Date` or an ISO 8601 string: class-transformer's `new Date(value)` turns `false`, `0` or `[2020]`
 *   into valid dates. Others are reported as `{ isDate }`.
 *
 * Returns `into` with the errors appended; when there is none and `into` was not given, `undefined`
 * (a valid flat input allocates nothing here: this runs on every call).
 */
export function checkStructure(root: object, forbidUnknown: boolean, into?: FieldError[], input?: object): FieldError[] | undefined {
  let pending: Pending[] | undefined; // created at the first nested object
  let object = root;
  let path = '';
  for (;;) {
    const cls: unknown = object.constructor;
    const rules = typeof cls === 'function' ? rulesOf(cls) : undefined;
    if (rules?.validated) {
      into = checkUnknown(object, path, rules.known, forbidUnknown, into);
      const record = object as Record<string, unknown>;
      for (const rule of rules.properties) {
        const value = record[rule.property];
        if (isSkipped(rule.conditions, object, value)) continue;
        if (value === undefined) {
          if (rule.nested)
            into = report(into, {
              path: joinPath(path, rule.property),
              constraints: { isDefined: `${rule.property} should not be null or undefined` },
            });
          continue;
        }
        if (rule.collection && value !== null && !isCollection(value)) {
          into = report(into, { path: joinPath(path, rule.property), constraints: { isArray: `${rule.property} must be an array` } });
        }
        if (!rule.nested && !rule.date) continue;
        const source = input !== undefined && rule.inputKey !== undefined ? (input as Record<string, unknown>)[rule.inputKey] : undefined;
        const at = joinPath(path, rule.property);
        if (rule.date) {
          if (source !== undefined) into = checkDate(source, rule.collection, at, into);
        } else {
          if (source !== undefined) into = checkPlain(source, rule.collection, at, into);
          if (typeof value === 'object' && value !== null) queueNested((pending ??= []), value, at, source);
        }
      }
    }
    const next = pending?.pop();
    if (!next) return into;
    ({ object, path, input } = next);
  }
}
