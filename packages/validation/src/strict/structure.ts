import type { FieldError } from '@aiecs/core';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { recordedProperties } from '../bridge/schemaRegistry';
import { joinPath } from './path';

type Condition = (object: object, value: unknown) => boolean;

interface PropertyRule {
  readonly property: string;
  /** `@IsOptional` / `@ValidateIf` conditions: when one is false, class-validator skips the property. */
  readonly conditions: readonly Condition[];
  /** Has an `each: true` rule (`@ValidateNested({ each: true })`, `@IsString({ each: true })`...). */
  readonly collection: boolean;
  /** Is validated as a nested object (`@ValidateNested`). */
  readonly nested: boolean;
}

interface ClassRules {
  /** False when class-validator has no rule for the class (it then reports an unknown value itself). */
  readonly validated: boolean;
  /** Properties the schema declares: any class-validator rule, or any decorator of this package. */
  readonly known: ReadonlySet<string>;
  /** Properties with an `each: true` or a nested rule. */
  readonly properties: readonly PropertyRule[];
}

const rulesByClass = new WeakMap<Function, ClassRules>();

/** Reads (once per class) what the checks need from class-validator's metadata and the recorded fields. */
function rulesOf(cls: Function): ClassRules {
  let rules = rulesByClass.get(cls);
  if (rules) return rules;
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false, undefined);
  const byProperty = new Map<string, { conditions: Condition[]; collection: boolean; nested: boolean }>();
  const known = recordedProperties(cls);
  for (const m of metadatas) {
    known.add(m.propertyName);
    let rule = byProperty.get(m.propertyName);
    if (!rule) byProperty.set(m.propertyName, (rule = { conditions: [], collection: false, nested: false }));
    if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) rule.conditions.push(m.constraints[0] as Condition);
    else if (m.type !== ValidationTypes.WHITELIST && m.type !== ValidationTypes.IS_DEFINED) {
      rule.collection ||= m.each === true;
      rule.nested ||= m.type === ValidationTypes.NESTED_VALIDATION;
    }
  }
  const properties = [...byProperty].filter(([, r]) => r.collection || r.nested).map(([property, r]) => ({ property, ...r }));
  rules = { validated: metadatas.length > 0, known, properties };
  rulesByClass.set(cls, rules);
  return rules;
}

function isCollection(value: unknown): value is unknown[] | Set<unknown> | Map<unknown, unknown> {
  return Array.isArray(value) || value instanceof Set || value instanceof Map;
}

/** The nested objects inside `value` (itself, or the items of a collection) with their paths. */
function* nestedObjects(value: object, path: string): Generator<{ object: object; path: string }> {
  if (Array.isArray(value) || value instanceof Set) {
    let i = 0;
    for (const item of value) {
      if (typeof item === 'object' && item !== null) yield { object: item, path: joinPath(path, i) };
      i++;
    }
  } else if (value instanceof Map) {
    for (const [key, item] of value) if (typeof item === 'object' && item !== null) yield { object: item, path: joinPath(path, String(key)) };
  } else {
    yield { object: value, path };
  }
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
 */
export function checkStructure(root: object, forbidUnknown: boolean, into: FieldError[] = []): FieldError[] {
  const stack: Array<{ object: object; path: string }> = [{ object: root, path: '' }];
  while (stack.length > 0) {
    const { object, path } = stack.pop()!;
    const cls: unknown = object.constructor;
    if (typeof cls !== 'function') continue;
    const rules = rulesOf(cls);
    if (!rules.validated) continue;
    const record = object as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      if (rules.known.has(key) || record[key] === undefined) continue;
      if (forbidUnknown) into.push({ path: joinPath(path, key), constraints: { whitelistValidation: `property ${key} should not exist` } });
      else delete record[key];
    }
    for (const rule of rules.properties) {
      const value = record[rule.property];
      if (rule.conditions.some((condition) => !condition(object, value))) continue;
      const at = joinPath(path, rule.property);
      if (value === undefined) {
        if (rule.nested) into.push({ path: at, constraints: { isDefined: `${rule.property} should not be null or undefined` } });
        continue;
      }
      if (rule.collection && value !== null && !isCollection(value)) {
        into.push({ path: at, constraints: { isArray: `${rule.property} must be an array` } });
      }
      if (rule.nested && typeof value === 'object' && value !== null) {
        for (const entry of nestedObjects(value, at)) stack.push(entry);
      }
    }
  }
  return into;
}
