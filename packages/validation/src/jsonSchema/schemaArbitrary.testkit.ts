import fc from 'fast-check';
import type { JsonSchemaObject, JsonType } from './types';

type Schema = JsonSchemaObject;

/** Resolves a local `$ref` (`#` or `#/$defs/Name`) against `root`. */
function resolve(ref: string, root: Schema): Schema {
  if (ref === '#') return root;
  const name = ref.replace(/^#\/\$defs\//, '');
  const target = root.$defs?.[name];
  if (!target) throw new Error(`unresolvable $ref ${ref}`);
  return target;
}

/** True when `value` has a `__proto__`, `constructor` or `prototype` key at some depth. */
function hasForbiddenKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.keys(value).some(
    (key) =>
      key === '__proto__' || key === 'constructor' || key === 'prototype' || hasForbiddenKey((value as Record<string, unknown>)[key]),
  );
}

/**
 * Free-form JSON values, without the keys strict validation refuses at any depth (`__proto__`,
 * `constructor`, `prototype`): a structural rule of the validator that the schema does not state
 * for free-form values (see the README's "What the schema does not say").
 */
const freeJson = (maxDepth: number) => fc.jsonValue({ maxDepth }).filter((value) => !hasForbiddenKey(value));

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const tld = fc.stringMatching(/^[a-z]{2,6}$/);
const hostname = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld).map(([labels, top]) => [...labels, top].join('.'));

/**
 * Values of each format the generator emits, written conservatively: both the format's JSON Schema
 * definition (ajv-formats) and validator.js accept them (the property test checks the second).
 */
const FORMATS: Record<string, fc.Arbitrary<string>> = {
  email: fc
    .tuple(
      fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,10}[a-z0-9]$/).filter((s) => !s.includes('..')),
      hostname,
    )
    .map(([local, host]) => `${local}@${host}`),
  uri: fc
    .tuple(fc.constantFrom('http', 'https'), hostname, fc.array(label, { maxLength: 3 }))
    .map(([scheme, host, path]) => `${scheme}://${host}/${path.join('/')}`),
  uuid: fc.uuid(),
  'date-time': fc
    .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  ipv4: fc.ipV4(),
  ipv6: fc.ipV6(),
  hostname,
};

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern, 'u'));
  if (schema.format !== undefined) {
    const format = FORMATS[schema.format];
    if (!format) throw new Error(`no generator for format ${schema.format}`);
    return format;
  }
  const anyOfFormat = schema.anyOf?.map((part) => part.format).filter((f): f is string => typeof f === 'string');
  if (anyOfFormat && anyOfFormat.length > 0) return fc.oneof(...anyOfFormat.map((f) => FORMATS[f]!));
  const minLength = schema.minLength ?? 0;
  return fc.string({ minLength, maxLength: schema.maxLength ?? minLength + 8 });
}

function numberArbitrary(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const lower = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 1e-6) : schema.minimum;
  const upper = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 1e-6) : schema.maximum;
  if (schema.multipleOf !== undefined) {
    const m = schema.multipleOf;
    const min = Math.ceil((lower ?? -1e6) / m);
    const max = Math.floor((upper ?? 1e6) / m);
    return fc.integer({ min, max }).map((k) => k * m);
  }
  if (integer) return fc.integer({ min: Math.ceil(lower ?? -1e9), max: Math.floor(upper ?? 1e9) });
  return fc.double({ min: lower ?? -1e9, max: upper ?? 1e9, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
}

/** Values that `contains: { const }` parts of `allOf` require an array to hold. */
function requiredItems(schema: Schema): unknown[] {
  return (schema.allOf ?? []).flatMap((part) => {
    const contains = part.contains as Schema | undefined;
    return contains !== undefined && 'const' in contains ? [contains.const] : [];
  });
}

function arrayArbitrary(schema: Schema, root: Schema, depth: number): fc.Arbitrary<unknown[]> {
  const item = schema.items ? schemaArbitrary(schema.items, root, depth + 1) : freeJson(2);
  const minLength = schema.minItems ?? 0;
  const maxLength = depth > 3 ? minLength : (schema.maxItems ?? minLength + 3);
  const extra = requiredItems(schema);
  const base = schema.uniqueItems
    ? fc.uniqueArray(item, { minLength, maxLength, comparator: (a, b) => JSON.stringify(a) === JSON.stringify(b) })
    : fc.array(item, { minLength, maxLength });
  return extra.length === 0 ? base : base.map((items) => [...items, ...extra.filter((value) => !items.includes(value))]);
}

function objectArbitrary(schema: Schema, root: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  if (!schema.properties) {
    const min = schema.minProperties ?? 0;
    return fc.dictionary(label, freeJson(1), { minKeys: min, maxKeys: min + 2, noNullPrototype: true });
  }
  const required = new Set(schema.required ?? []);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    // Deep in a recursive schema, optional properties are left out so generation ends.
    if (depth > 3 && !required.has(name)) continue;
    shape[name] = schemaArbitrary(property, root, depth + 1);
  }
  // Plain objects, as JSON.parse makes them (class-transformer does not see a null-prototype object's discriminator).
  return fc.record(shape, { requiredKeys: Object.keys(shape).filter((name) => required.has(name)), noNullPrototype: true }) as fc.Arbitrary<
    Record<string, unknown>
  >;
}

function typedArbitrary(type: JsonType, schema: Schema, root: Schema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'number':
      return numberArbitrary(schema, false);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayArbitrary(schema, root, depth);
    case 'object':
      return objectArbitrary(schema, root, depth);
  }
}

/**
 * Generates values from a JSON Schema of the kind `jsonSchemaOf` writes (its keywords only): what the
 * schema allows, built from `type`, bounds, lengths, `pattern` (via `fc.stringMatching`), `format`,
 * `enum`/`const`, `items`, `properties`/`required` and `$ref`. Keywords it does not build towards
 * (`not`, most of `allOf`) are left to the caller's filter: the property test keeps only values the
 * schema accepts (ajv), so the generator may over-approximate but never decides alone.
 */
export function schemaArbitrary(schema: Schema, root: Schema = schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref !== undefined) return schemaArbitrary(resolve(schema.$ref, root), root, depth);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const alternatives = schema.oneOf ?? schema.anyOf?.filter((part) => part.format === undefined);
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map((part) => schemaArbitrary(part, root, depth)));
  if (schema.allOf && schema.allOf.every((part) => 'const' in part || part.$ref !== undefined)) {
    const constant = schema.allOf.find((part) => 'const' in part);
    if (constant) return fc.constant(constant.const);
  }
  const types: JsonType[] = schema.type === undefined ? [] : Array.isArray(schema.type) ? [...schema.type] : [schema.type as JsonType];
  if (types.length === 0) return freeJson(2);
  return fc.oneof(...types.map((type) => typedArbitrary(type, schema, root, depth)));
}

/** JSON values of none of `types` (`integer` allowed: non-integral numbers are wrong too). Never `undefined`. */
export function wrongTypeArbitrary(types: readonly JsonType[]): fc.Arbitrary<unknown> {
  const allowed = new Set(types);
  const options: fc.Arbitrary<unknown>[] = [];
  if (!allowed.has('string')) options.push(fc.string({ maxLength: 4 }));
  if (!allowed.has('number') && !allowed.has('integer')) options.push(fc.integer({ min: -9, max: 9 }));
  if (!allowed.has('number')) options.push(fc.double({ min: -100, max: 100, noNaN: true, noInteger: true }));
  if (!allowed.has('boolean')) options.push(fc.boolean());
  if (!allowed.has('null')) options.push(fc.constant(null));
  if (!allowed.has('array')) options.push(fc.array(fc.integer(), { maxLength: 2 }));
  if (!allowed.has('object')) options.push(fc.constant({}));
  return fc.oneof(...options);
}
