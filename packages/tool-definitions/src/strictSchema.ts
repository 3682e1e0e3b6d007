import type { JsonObjectSchema } from './inputSchema';
import { checkStrictLimits } from './strictLimits';

/** A keyword the strict schema leaves out (our pipeline still checks it), by the field it sits on. */
export interface StrictSchemaWarning {
  /** Dotted path of the field (`address.zip`, `items.name` for an array element's field; `''` for the input itself). */
  readonly field: string;
  /** The JSON Schema keyword left out (`maxLength`, `format: uri`, `not`…). */
  readonly keyword: string;
  readonly reason: string;
}

/** What `openAIStrictSchema` made of a schema: a strict variant, or why there is none. */
export type StrictSchemaResult =
  | { readonly strict: true; readonly schema: JsonObjectSchema; readonly warnings: readonly StrictSchemaWarning[] }
  | { readonly strict: false; readonly reason: string; readonly warnings: readonly StrictSchemaWarning[] };

type Schema = Record<string, unknown>;

/**
 * Keywords OpenAI's strict mode accepts ("Supported schemas" of the Structured Outputs guide): the
 * structure (`type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `const`,
 * `anyOf`, `$ref`, `$defs`), annotations, and the listed constraints for strings (`pattern`, `format`),
 * numbers (`multipleOf`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`) and arrays
 * (`minItems`, `maxItems`). Anything else is left out and reported.
 */
const SUPPORTED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  '$ref',
  '$defs',
  'description',
  'title',
  'pattern',
  'format',
  'multipleOf',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
]);

/** The string formats strict mode accepts; another `format` is left out and reported. */
const SUPPORTED_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);

/** Keywords that only annotate: they travel with a `$ref` wrapped in `anyOf` (a `$ref` may have no siblings). */
const ANNOTATIONS = ['description', 'title'] as const;

/** Thrown inside the conversion when a schema has no strict form; becomes `{ strict: false, reason }`. */
class NotExpressible extends Error {}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldOf(path: readonly string[]): string {
  return path.join('.');
}

/** Keywords whose meaning is independent of the others, so an `allOf` of them is the merged schema. */
const MERGEABLE = new Set(
  [...SUPPORTED].filter((k) => !['properties', 'required', 'additionalProperties', 'items', 'anyOf', '$ref', '$defs'].includes(k)),
);

class StrictConverter {
  readonly warnings: StrictSchemaWarning[] = [];

  constructor(private readonly root: Schema) {}

  private drop(path: readonly string[], keyword: string, reason: string): void {
    this.warnings.push({ field: fieldOf(path), keyword, reason });
  }

  /** `allOf` of independent keywords becomes one schema (equal values only); anything else has no strict form. */
  private mergeAllOf(node: Schema, path: readonly string[]): Schema {
    const { allOf, ...rest } = node;
    if (!Array.isArray(allOf)) return node;
    const merged: Schema = { ...rest };
    for (const branch of allOf) {
      if (!isSchema(branch)) throw new NotExpressible(`${fieldOf(path) || 'the input'}: an allOf branch is not a schema`);
      for (const [keyword, value] of Object.entries(branch)) {
        if (keyword === 'contains') {
          this.drop(path, 'contains', 'strict mode has no contains; the pipeline checks the array holds the value');
          continue;
        }
        if (!MERGEABLE.has(keyword) && keyword !== 'allOf')
          throw new NotExpressible(`${fieldOf(path) || 'the input'}: allOf with '${keyword}' cannot be merged into one strict schema`);
        if (keyword in merged && JSON.stringify(merged[keyword]) !== JSON.stringify(value))
          throw new NotExpressible(`${fieldOf(path) || 'the input'}: allOf branches disagree on '${keyword}'`);
        merged[keyword] = value;
      }
    }
    return isSchema(merged.allOf) || Array.isArray(merged.allOf) ? this.mergeAllOf(merged, path) : merged;
  }

  /** The strict form of one schema; `nullable` adds `null` to what it accepts (an optional field). */
  convert(input: Schema, path: readonly string[], nullable: boolean): Schema {
    const node = this.mergeAllOf(input, path);
    const out: Schema = {};
    for (const [keyword, value] of Object.entries(node)) {
      if (keyword === 'oneOf') {
        // Every alternative the generator emits is a discriminated sub-type (a distinct `const`), so
        // at most one branch can match and anyOf accepts exactly what oneOf does.
        if (!this.exclusive(value))
          this.drop(path, 'oneOf', 'sent as anyOf: the alternatives may overlap, the pipeline checks exactly one matches');
        out.anyOf = value;
      } else if (keyword === 'format' && typeof value === 'string' && !SUPPORTED_FORMATS.has(value)) {
        this.drop(path, `format: ${value}`, 'strict mode does not support this format; the pipeline checks it');
      } else if (SUPPORTED.has(keyword)) out[keyword] = value;
      else if (keyword !== '$schema') this.drop(path, keyword, 'strict mode does not support this keyword; the pipeline checks it');
    }
    if (typeof out.$ref === 'string') return this.reference(out, path, nullable);
    if (Array.isArray(out.anyOf)) {
      const branches = out.anyOf.map((branch) => {
        if (!isSchema(branch)) throw new NotExpressible(`${fieldOf(path) || 'the input'}: an alternative is not a schema`);
        return this.convert(branch, path, false);
      });
      // `type` beside the alternatives only restates what each branch says (`object`); strict mode wants them alone.
      const { type: _type, anyOf: _anyOf, ...siblings } = out;
      const kept = Object.keys(siblings).filter((k) => !(ANNOTATIONS as readonly string[]).includes(k));
      if (kept.length > 0) throw new NotExpressible(`${fieldOf(path) || 'the input'}: '${kept[0]}' beside anyOf has no strict form`);
      return { ...siblings, anyOf: nullable ? [...branches, { type: 'null' }] : branches };
    }
    const types = typeof out.type === 'string' ? [out.type] : Array.isArray(out.type) ? (out.type as string[]) : [];
    if (types.length === 0 && !('enum' in out) && !('const' in out))
      throw new NotExpressible(`${fieldOf(path) || 'the input'} accepts any value, which strict mode cannot express`);
    if (types.includes('object')) this.object(out, path);
    if (types.includes('array')) {
      if (!isSchema(out.items))
        throw new NotExpressible(`${fieldOf(path) || 'the input'} is an array of any values, which strict mode cannot express`);
      out.items = this.convert(out.items, path, false);
    }
    if (!nullable) return out;
    if ('enum' in out || 'const' in out) {
      const { description, title, ...value } = out;
      return {
        ...(description === undefined ? {} : { description }),
        ...(title === undefined ? {} : { title }),
        anyOf: [value, { type: 'null' }],
      };
    }
    return { ...out, type: [...types.filter((t) => t !== 'null'), 'null'] };
  }

  /** Strict objects list every property in `required` (optional ones nullable) and forbid others. */
  private object(out: Schema, path: readonly string[]): void {
    const properties = out.properties;
    if (!isSchema(properties) || Object.keys(properties).length === 0)
      throw new NotExpressible(`${fieldOf(path) || 'the input'} is an object with free-form keys, which strict mode cannot express`);
    const extra = out.additionalProperties;
    // `true` / `{}` (unknown keys stripped or passed through) is closed below; a schema for them is a map strict mode cannot offer.
    if (extra !== undefined && extra !== false && extra !== true && !(isSchema(extra) && Object.keys(extra).length === 0))
      throw new NotExpressible(
        `${fieldOf(path) || 'the input'} takes keys beyond its properties (a schema for them), which strict mode cannot express`,
      );
    const required = new Set(Array.isArray(out.required) ? (out.required as string[]) : []);
    out.properties = Object.fromEntries(
      Object.entries(properties).map(([key, value]) => {
        if (!isSchema(value)) throw new NotExpressible(`${fieldOf([...path, key])} is not described by a schema`);
        return [key, this.convert(value, [...path, key], !required.has(key))];
      }),
    );
    out.required = Object.keys(properties);
    // A schema that strips or passes unknown keys (forbidUnknown: false, zod's z.object) accepts what a closed object sends: closing only narrows.
    out.additionalProperties = false;
  }

  /** A `$ref` may have no sibling in strict mode: annotations and `null` move to an `anyOf` around it. */
  private reference(out: Schema, path: readonly string[], nullable: boolean): Schema {
    const ref = out.$ref as string;
    if (ref !== '#' && !ref.startsWith('#/$defs/'))
      throw new NotExpressible(`${fieldOf(path) || 'the input'}: $ref ${ref} is not a local definition`);
    const annotations = Object.fromEntries(ANNOTATIONS.filter((k) => out[k] !== undefined).map((k) => [k, out[k]]));
    const others = Object.keys(out).filter((k) => k !== '$ref' && k !== 'type' && !(ANNOTATIONS as readonly string[]).includes(k));
    if (others.length > 0) throw new NotExpressible(`${fieldOf(path) || 'the input'}: '${others[0]}' beside $ref has no strict form`);
    if (!nullable && Object.keys(annotations).length === 0) return { $ref: ref };
    return { ...annotations, anyOf: nullable ? [{ $ref: ref }, { type: 'null' }] : [{ $ref: ref }] };
  }

  /** Whether at most one alternative can match: each is an object (or a `$ref` to one) with a distinct `const` on one required property. */
  private exclusive(alternatives: unknown): boolean {
    if (!Array.isArray(alternatives)) return false;
    const resolved = alternatives.map((a) => this.resolve(a)).filter((a): a is Schema => a !== undefined);
    if (resolved.length !== alternatives.length || resolved.length === 0) return false;
    const first = resolved[0]!;
    const keys = Object.keys(isSchema(first.properties) ? first.properties : {});
    return keys.some((key) => {
      const values = resolved.map((a) => constOf(a, key));
      return values.every((v) => v !== undefined) && new Set(values.map((v) => JSON.stringify(v))).size === values.length;
    });
  }

  private resolve(schema: unknown): Schema | undefined {
    if (!isSchema(schema)) return undefined;
    if (typeof schema.$ref !== 'string') return schema;
    if (schema.$ref === '#') return this.root;
    const name = schema.$ref.startsWith('#/$defs/') ? schema.$ref.slice('#/$defs/'.length) : undefined;
    const defs = this.root.$defs;
    return name !== undefined && isSchema(defs) && isSchema(defs[name]) ? defs[name] : undefined;
  }
}

/** The `const` a required property of an object schema must have (also inside an `allOf`), if any. */
function constOf(schema: Schema, key: string): unknown {
  const required = Array.isArray(schema.required) && (schema.required as unknown[]).includes(key);
  const property = isSchema(schema.properties) ? schema.properties[key] : undefined;
  if (!required || !isSchema(property)) return undefined;
  if ('const' in property) return property.const;
  const branches = Array.isArray(property.allOf) ? property.allOf : [];
  return branches.find((b): b is Schema => isSchema(b) && 'const' in b)?.const;
}

const results = new WeakMap<object, StrictSchemaResult>();

/**
 * The strict variant of a tool's input schema for OpenAI function calling (`strict: true`), following
 * the Structured Outputs rules: the root is an object; every object lists all its properties in
 * `required` (an optional field becomes required and also accepts `null`) and has
 * `additionalProperties: false`; a `$ref` has no siblings; only the supported keywords remain, and
 * the schema stays within the size limits (`checkStrictLimits`).
 *
 * Keywords strict mode does not support (`minLength`, `maxLength`, `format: uri`, `not`, `uniqueItems`…)
 * are left out and listed in `warnings`: the pipeline still validates them, and a model that breaks
 * one gets the usual field-by-field failure. A schema with no strict form (a free-form object, a field
 * of any type, a union at the root, a schema over the limits) gives `strict: false` with the reason.
 * Computed once per schema object.
 */
export function openAIStrictSchema(schema: JsonObjectSchema): StrictSchemaResult {
  const known = results.get(schema);
  if (known) return known;
  const converter = new StrictConverter(schema as Schema);
  let result: StrictSchemaResult;
  try {
    if (schema.type !== 'object' || 'anyOf' in schema || 'oneOf' in schema)
      throw new NotExpressible('the input must be a plain object schema (no union at the root)');
    const { $defs, ...body } = schema as Schema;
    const converted = converter.convert(body, [], false);
    if (isSchema($defs))
      converted.$defs = Object.fromEntries(
        Object.entries($defs).map(([name, def]) => {
          if (!isSchema(def)) throw new NotExpressible(`definition ${name} is not a schema`);
          return [name, converter.convert(def, [name], false)];
        }),
      );
    const overLimit = checkStrictLimits(converted);
    if (overLimit !== undefined) throw new NotExpressible(overLimit);
    result = { strict: true, schema: deepFreeze(converted) as JsonObjectSchema, warnings: Object.freeze(converter.warnings) };
  } catch (error) {
    if (!(error instanceof NotExpressible)) throw error;
    result = { strict: false, reason: error.message, warnings: Object.freeze(converter.warnings) };
  }
  Object.freeze(result);
  results.set(schema, result);
  return result;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
