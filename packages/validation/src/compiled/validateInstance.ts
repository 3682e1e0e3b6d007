import { joinPath } from '../strict/path';
import { fail, type CheckState } from './buildInstance';
import type { ClassPlan, PropertyPlan, RuleCheck } from './classPlan';

/** True when one `@ValidateIf` condition is false (class-validator then skips the property). */
function skippedByCondition(prop: PropertyPlan, object: object, value: unknown): boolean {
  const conditions = prop.conditions;
  for (let i = 0; i < conditions.length; i++) if (!conditions[i]!(object, value)) return true;
  return false;
}

/** class-validator's verdict on one rule: each item of an array for an `each: true` rule, else the value. */
function passes(check: RuleCheck, value: unknown, object: object): boolean {
  if (check.each && Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!check.test(value[i], object)) return false;
    return true;
  }
  return check.test(value, object);
}

/**
 * A `@ValidateNested` property's value, as class-validator and the strict checks judge it: undefined
 * is missing (`{ isDefined }`), an array has each item validated (undefined items are skipped, as
 * class-validator skips them), an object is validated, anything else fails (`{ nestedValidation }`).
 * Objects here are instances `buildInstance` made.
 */
function validateNested(target: ClassPlan, value: unknown, path: string, state: CheckState): void {
  if (value === undefined) return fail(state, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) continue;
      if (typeof item === 'object' && item !== null) validateInstance(target, item, joinPath(path, i), state);
      else fail(state, joinPath(path, i));
    }
  } else if (typeof value === 'object' && value !== null) {
    validateInstance(target, value, path, state);
  } else {
    fail(state, path);
  }
}

/**
 * class-validator's `validateSync` over an instance `buildInstance` made, with the strict checks on
 * collections (`checkStructure`): every property with a rule, unless `@IsOptional` and null or
 * undefined, or a `@ValidateIf` is false; each failing property recorded at its path.
 */
export function validateInstance(plan: ClassPlan, instance: object, path: string, state: CheckState): void {
  const record = instance as Record<string, unknown>;
  const properties = plan.properties;
  for (let p = 0; p < properties.length; p++) {
    const prop = properties[p]!;
    const value = record[prop.key];
    if (prop.optional && (value === null || value === undefined)) continue;
    if (prop.conditions.length > 0 && skippedByCondition(prop, instance, value)) continue;
    let ok = true;
    const checks = prop.checks;
    for (let c = 0; c < checks.length; c++) if (!passes(checks[c]!, value, instance)) ok = false;
    // An each: true rule given a single value (class-validator validates the value itself): { isArray }.
    if (prop.collection && value !== null && value !== undefined && !Array.isArray(value)) ok = false;
    if (!ok) fail(state, joinPath(path, prop.key));
    if (prop.nested) validateNested(prop.nested.target, value, joinPath(path, prop.key), state);
  }
}
