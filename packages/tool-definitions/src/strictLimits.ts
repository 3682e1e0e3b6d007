/**
 * The size limits of OpenAI's strict mode ("Objects have limitations on nesting depth and size" in the
 * Structured Outputs guide): at most 5,000 object properties in all, 10 levels of object nesting,
 * 120,000 characters across property names, definition names, enum and const values, 1,000 enum
 * values in all, and 15,000 characters for one string enum of more than 250 values.
 */
export const STRICT_LIMITS = Object.freeze({
  properties: 5_000,
  nesting: 10,
  stringLength: 120_000,
  enumValues: 1_000,
  largeEnumValues: 250,
  largeEnumStringLength: 15_000,
});

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textLength(value: unknown): number {
  return typeof value === 'string' ? value.length : JSON.stringify(value ?? null).length;
}

/** The schemas directly under a schema: its properties, its items and its alternatives. */
function children(schema: Schema): { child: Schema }[] {
  const found: { child: Schema }[] = [];
  if (isSchema(schema.properties)) for (const p of Object.values(schema.properties)) if (isSchema(p)) found.push({ child: p });
  if (isSchema(schema.items)) found.push({ child: schema.items });
  if (Array.isArray(schema.anyOf)) for (const b of schema.anyOf) if (isSchema(b)) found.push({ child: b });
  return found;
}

/**
 * The first limit a strict schema breaks, as a reason, or `undefined` when it fits. Nesting follows
 * `$ref`s (a definition counts where it is used); a recursive reference is not followed again.
 */
export function checkStrictLimits(root: Schema): string | undefined {
  const defs = isSchema(root.$defs) ? root.$defs : {};
  const all: Schema[] = [];
  const collect = (schema: Schema): void => {
    all.push(schema);
    for (const { child } of children(schema)) collect(child);
  };
  collect(root);
  for (const def of Object.values(defs)) if (isSchema(def)) collect(def);

  let properties = 0;
  let text = Object.keys(defs).reduce((n, name) => n + name.length, 0);
  let enumValues = 0;
  for (const schema of all) {
    if (isSchema(schema.properties)) {
      const names = Object.keys(schema.properties);
      properties += names.length;
      text += names.reduce((n, name) => n + name.length, 0);
    }
    if ('const' in schema) text += textLength(schema.const);
    if (Array.isArray(schema.enum)) {
      enumValues += schema.enum.length;
      const length = schema.enum.reduce((n: number, v) => n + textLength(v), 0);
      text += length;
      if (
        schema.enum.length > STRICT_LIMITS.largeEnumValues &&
        schema.enum.every((v) => typeof v === 'string') &&
        length > STRICT_LIMITS.largeEnumStringLength
      )
        return `an enum of ${schema.enum.length} strings totals ${length} characters (more than ${STRICT_LIMITS.largeEnumStringLength})`;
    }
  }
  if (properties > STRICT_LIMITS.properties) return `${properties} object properties (more than ${STRICT_LIMITS.properties})`;
  if (text > STRICT_LIMITS.stringLength) return `${text} characters of names and values (more than ${STRICT_LIMITS.stringLength})`;
  if (enumValues > STRICT_LIMITS.enumValues) return `${enumValues} enum values (more than ${STRICT_LIMITS.enumValues})`;
  const depth = nestingOf(root, defs, new Set());
  if (depth > STRICT_LIMITS.nesting) return `objects nested ${depth} levels deep (more than ${STRICT_LIMITS.nesting})`;
  return undefined;
}

/** How many object levels deep a schema reaches: an object counts one level, an array or a union none. */
function nestingOf(schema: Schema, defs: Schema, following: ReadonlySet<string>): number {
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref;
    const target = ref === '#' ? undefined : defs[ref.slice('#/$defs/'.length)];
    // A recursive reference (to the root or to a definition being followed) adds no level of its own.
    if (following.has(ref) || !isSchema(target)) return 0;
    return nestingOf(target, defs, new Set([...following, ref]));
  }
  const own = isSchema(schema.properties) ? 1 : 0;
  return own + children(schema).reduce((deepest, { child }) => Math.max(deepest, nestingOf(child, defs, following)), 0);
}
