import type { JsonObjectSchema } from './inputSchema';

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Removes the `null`s a strict-mode model sends for optional fields. Strict mode makes every field
 * required, so the model sends `null` for one it leaves out; the operation's schema (`@IsOptional()`,
 * zod's `.optional()`) means "absent", and the method, the cache key and a Standard Schema must see it
 * absent. Only fields the original schema leaves optional are touched, at any depth (nested objects,
 * array elements, the matching alternative of a union). The input is never mutated: a changed object is
 * a copy, everything else is shared.
 */
export function optionalNullsRemover(schema: JsonObjectSchema): (input: unknown) => unknown {
  const root = schema as Schema;
  const defs = isSchema(root.$defs) ? root.$defs : {};
  const resolve = (node: Schema): Schema => {
    const ref = node.$ref;
    if (ref === '#') return root;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
      const target = defs[ref.slice('#/$defs/'.length)];
      if (isSchema(target)) return target;
    }
    return node;
  };

  const strip = (value: unknown, node: Schema, depth: number): unknown => {
    if (depth > 64) return value; // the validator refuses inputs this deep anyway
    const resolved = resolve(node);
    let out = value;
    for (const branch of Array.isArray(resolved.allOf) ? resolved.allOf : []) if (isSchema(branch)) out = strip(out, branch, depth + 1);
    const alternatives = Array.isArray(resolved.oneOf) ? resolved.oneOf : Array.isArray(resolved.anyOf) ? resolved.anyOf : undefined;
    if (alternatives !== undefined) {
      const match = alternatives.find((a) => isSchema(a) && matchesConsts(out, resolve(a)));
      if (isSchema(match)) out = strip(out, match, depth + 1);
    }
    if (Array.isArray(out) && isSchema(resolved.items)) {
      const items = resolved.items;
      let copy: unknown[] | undefined;
      out.forEach((item, i) => {
        const stripped = strip(item, items, depth + 1);
        if (stripped !== item) (copy ??= [...(out as unknown[])])[i] = stripped;
      });
      return copy ?? out;
    }
    if (isPlainObject(out) && isSchema(resolved.properties)) {
      const properties = resolved.properties;
      const required = new Set(Array.isArray(resolved.required) ? (resolved.required as string[]) : []);
      let copy: Record<string, unknown> | undefined;
      for (const key of Object.keys(out)) {
        const property = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
        if (!isSchema(property)) continue;
        const current = out[key];
        if (current === null && !required.has(key)) {
          copy ??= { ...out };
          delete copy[key];
          continue;
        }
        const stripped = strip(current, property, depth + 1);
        if (stripped !== current) (copy ??= { ...out })[key] = stripped;
      }
      return copy ?? out;
    }
    return out;
  };
  return (input) => strip(input, root, 0);
}

/** Whether an object has every `const` an alternative's properties demand (a discriminated sub-type's tag). */
function matchesConsts(value: unknown, alternative: Schema): boolean {
  if (!isPlainObject(value) || !isSchema(alternative.properties)) return false;
  return Object.entries(alternative.properties).every(([key, property]) => {
    if (!isSchema(property)) return true;
    const consts = [property, ...(Array.isArray(property.allOf) ? property.allOf : [])].filter(
      (s): s is Schema => isSchema(s) && 'const' in s,
    );
    return consts.every((s) => JSON.stringify(s.const) === JSON.stringify(value[key]));
  });
}
