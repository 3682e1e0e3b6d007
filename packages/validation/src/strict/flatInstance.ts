import { rulesOf } from './classRules';
import { untransformedProperties } from './transformerMetadata';

const hasOwn = Object.prototype.hasOwnProperty;

/** Keys `plainToInstance` skips (`__proto__`, `constructor`) or that are best left to it. */
const SPECIAL_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Per class: the properties `instantiateFlat` may assign (`null`: none, the class always goes through plainToInstance). */
const assignableByClass = new WeakMap<Function, ReadonlySet<string> | null>();

/**
 * The properties of `schema` that a flat input may set by plain assignment with the result
 * `plainToInstance` would give: declared ones (`rulesOf(schema).known`) that class-transformer
 * copies unchanged (`untransformedProperties`), that are not special keys, and that are not on the
 * prototype chain (a method or an accessor of the class, or an `Object.prototype` member such as
 * `toString`: `plainToInstance` skips some of those). Computed once per class, after `prepareSchema`.
 * `undefined` when there is none.
 */
export function assignableProperties(schema: Function): ReadonlySet<string> | undefined {
  let assignable = assignableByClass.get(schema);
  if (assignable === undefined) {
    const untransformed = untransformedProperties(schema, rulesOf(schema).known);
    const prototype = schema.prototype as object | undefined;
    const keys = [...(untransformed ?? [])].filter((key) => !SPECIAL_KEYS.has(key) && !(prototype != null && key in prototype));
    assignable = keys.length > 0 ? new Set(keys) : null;
    assignableByClass.set(schema, assignable);
  }
  return assignable ?? undefined;
}

/**
 * `plainToInstance`'s rule for a key the new instance already has: it keeps a function value, and a
 * method or getter-only accessor of `owner.prototype` (`owner`: the instance's `constructor`).
 */
function keepsExisting(instance: Record<string, unknown>, owner: unknown, key: string, schema: Function): boolean {
  if (instance[key] instanceof Function) return true;
  // Assignable keys are not on schema.prototype's chain: only a constructor that returns some other
  // object needs the lookup (like plainToInstance, it throws when that object has no constructor).
  if (owner === schema) return false;
  const prototype = (owner as Function).prototype as object | undefined;
  const descriptor = prototype ? Object.getOwnPropertyDescriptor(prototype, key) : undefined;
  return descriptor !== undefined && !descriptor.set;
}

/**
 * `plainToInstance(schema, input)` for an input whose values are all primitives and whose keys are
 * all assignable properties of `schema` (`inputShape(input, assignableProperties(schema))` is
 * `assignable`): a new instance with the input's values assigned in `Object.keys` order, skipping
 * the keys `plainToInstance` skips. Without class-transformer metadata on those keys, this is what
 * `plainToInstance` does (no implicit conversion: values are copied as they are; field initialisers
 * run in the constructor either way, and an input value, even `undefined`, replaces them), at a
 * small fraction of the cost.
 */
export function instantiateFlat<T extends object>(schema: new () => T, input: object): T {
  const record = input as Record<string, unknown>;
  const instance = new schema() as Record<string, unknown>;
  const owner = instance.constructor;
  for (const key in record) {
    if (hasOwn.call(record, key) && !keepsExisting(instance, owner, key, schema)) instance[key] = record[key];
  }
  return instance as T;
}
