import type { JsonSchemaObject, JsonType } from './types';

/** What one constraint says about a value: the JSON types it allows and the keywords it adds. */
export interface Mapping {
  /** The JSON types the constraint accepts (`undefined`: it does not restrict the type). */
  readonly types?: readonly JsonType[];
  /** Keywords of the value's schema. */
  readonly keywords?: Readonly<Record<string, unknown>>;
  /** Set when the constraint is not (fully) expressed: why, and what the schema says instead. */
  readonly unsupported?: string;
  /** True when the constraint passes a missing value (`isEmpty`, `notEquals`, `isNotIn`): it alone does not make the field required. */
  readonly acceptsAbsent?: boolean;
}

/** The schema of one value (a property, or the items of an `each: true` property), built constraint by constraint. */
export interface Fragment {
  /** Allowed JSON types: `undefined` while no constraint restricted them; empty when they conflict. */
  types?: Set<JsonType>;
  readonly keywords: Record<string, unknown>;
  /** Keywords that a second constraint set to another value (both must hold). */
  readonly allOf: Record<string, unknown>[];
}

/** An empty fragment: any value. */
export function emptyFragment(): Fragment {
  return { keywords: {}, allOf: [] };
}

/** Lower bounds: of two, the larger holds both. */
const LOWER_BOUNDS: ReadonlySet<string> = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']);
/** Upper bounds: of two, the smaller holds both. */
const UPPER_BOUNDS: ReadonlySet<string> = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems']);

/** `a ∩ b` over JSON types, where `integer` is a subset of `number`. */
function intersectTypes(a: ReadonlySet<JsonType> | undefined, b: readonly JsonType[]): Set<JsonType> {
  if (!a) return new Set(b);
  const out = new Set<JsonType>();
  for (const type of b) {
    if (a.has(type)) out.add(type);
    else if (type === 'integer' && a.has('number')) out.add('integer');
    else if (type === 'number' && a.has('integer')) out.add('integer');
  }
  return out;
}

/** Adds what `mapping` says to `fragment`: types intersect, bounds tighten, any other repeated keyword goes to `allOf`. */
export function addMapping(fragment: Fragment, mapping: Mapping): void {
  if (mapping.types) fragment.types = intersectTypes(fragment.types, mapping.types);
  for (const [keyword, value] of Object.entries(mapping.keywords ?? {})) {
    const current = fragment.keywords[keyword];
    if (current === undefined) fragment.keywords[keyword] = value;
    else if (LOWER_BOUNDS.has(keyword)) fragment.keywords[keyword] = Math.max(current as number, value as number);
    else if (UPPER_BOUNDS.has(keyword)) fragment.keywords[keyword] = Math.min(current as number, value as number);
    else if (JSON.stringify(current) !== JSON.stringify(value)) fragment.allOf.push({ [keyword]: value });
  }
}

/** True when the fragment's constraints contradict each other on the type (nothing can pass). */
export function hasTypeConflict(fragment: Fragment): boolean {
  return fragment.types !== undefined && fragment.types.size === 0;
}

/** Canonical order of `type` arrays, so equal schemas print equally. */
const TYPE_ORDER: readonly JsonType[] = ['string', 'number', 'integer', 'boolean', 'array', 'object', 'null'];

/** The JSON Schema of `fragment`. A type conflict becomes `{ not: {} }` (nothing passes, as with the validator). */
export function fragmentSchema(fragment: Fragment): JsonSchemaObject {
  if (hasTypeConflict(fragment)) return { not: {} };
  const schema: Record<string, unknown> = {};
  if (fragment.types) {
    const types = TYPE_ORDER.filter((t) => fragment.types!.has(t) && !(t === 'integer' && fragment.types!.has('number')));
    schema.type = types.length === 1 ? types[0] : types;
  }
  Object.assign(schema, fragment.keywords);
  if (fragment.allOf.length > 0) schema.allOf = fragment.allOf;
  return schema;
}
