import type { FieldError } from '@aiecs/core';
import { rulesOf, type Condition } from './classRules';
import { joinPath } from './path';

/** A nested object still to check, with its path from the root. */
interface Pending {
  readonly object: object;
  readonly path: string;
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

/** Queues the objects inside `value` (itself, or the object items of a collection), in collection order. */
function queueNested(pending: Pending[], value: object, path: string): void {
  if (Array.isArray(value) || value instanceof Set) {
    let i = 0;
    for (const item of value) {
      if (typeof item === 'object' && item !== null) pending.push({ object: item, path: joinPath(path, i) });
      i++;
    }
  } else if (value instanceof Map) {
    for (const [key, item] of value) if (typeof item === 'object' && item !== null) pending.push({ object: item, path: joinPath(path, String(key)) });
  } else {
    pending.push({ object: value, path });
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
    if (forbidUnknown) into = report(into, { path: joinPath(path, key), constraints: { whitelistValidation: `property ${key} should not exist` } });
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
 * - `@ValidateNested()` skips `undefined`, so a missing nested object passes: reported as `{ isDefined }`.
 *
 * Returns `into` with the errors appended; when there is none and `into` was not given, `undefined`
 * (a valid flat input allocates nothing here: this runs on every call).
 */
export function checkStructure(root: object, forbidUnknown: boolean, into?: FieldError[]): FieldError[] | undefined {
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
          if (rule.nested) into = report(into, { path: joinPath(path, rule.property), constraints: { isDefined: `${rule.property} should not be null or undefined` } });
          continue;
        }
        if (rule.collection && value !== null && !isCollection(value)) {
          into = report(into, { path: joinPath(path, rule.property), constraints: { isArray: `${rule.property} must be an array` } });
        }
        if (rule.nested && typeof value === 'object' && value !== null) queueNested((pending ??= []), value, joinPath(path, rule.property));
      }
    }
    const next = pending?.pop();
    if (!next) return into;
    ({ object, path } = next);
  }
}
