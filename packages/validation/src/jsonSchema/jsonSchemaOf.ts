import { prepareSchema } from '../bridge/prepareSchema';
import { buildClassSchema } from './classSchema';
import type { JsonSchemaOptions, JsonSchemaResult, SchemaWarning } from './types';

/** Per class: the result with `additionalProperties: false` (strict) and without (loose), built on first use. */
const cache = new WeakMap<Function, { strict?: JsonSchemaResult; loose?: JsonSchemaResult }>();
/** Classes whose warnings were logged (once per class, whichever variant came first). */
const logged = new WeakSet<Function>();

/** Freezes `value` and everything it holds (generated schemas are plain JSON trees). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Reports a class's unexpressed constraints once, on Node's warning channel (`process.on('warning')`). */
function logOnce(schemaClass: Function, warnings: readonly SchemaWarning[]): void {
  if (warnings.length === 0 || logged.has(schemaClass)) return;
  logged.add(schemaClass);
  const list = warnings.map((w) => `${w.field || '(input)'} ${w.constraint}: ${w.reason}`).join('; ');
  process.emitWarning(`JSON Schema of ${schemaClass.name || 'a schema class'} does not express ${warnings.length} constraint(s): ${list}`, {
    type: 'AiecsSchemaWarning',
    code: 'AIECS_JSON_SCHEMA',
  });
}

/**
 * The JSON Schema (draft 2020-12) of the plain input that `schemaClass`'s validator accepts, generated
 * from the same class-validator / class-transformer metadata, once per class (cached; the result is
 * frozen). Types, `@IsOptional` (not required), bounds, lengths, patterns, enums, formats, arrays
 * (`each: true` → `items`), nested classes (`@ValidateNested` + `@Type` → `$defs`), `@Description`
 * texts, and `additionalProperties: false` unless `forbidUnknown: false`. A constraint the schema
 * cannot express is never dropped silently: it is listed in `warnings` (field, constraint, reason)
 * and logged once per class as a Node warning of type `AiecsSchemaWarning`.
 *
 * @example
 * ```ts
 * class ReadInput {
 *   @Description('File path') @IsString() path!: string;
 *   @IsOptional() @IsInt() @Min(1) maxSize?: number;
 * }
 * jsonSchemaOf(ReadInput).schema;
 * // { $schema, type: 'object', properties: { path: { type: 'string', description: 'File path' },
 * //   maxSize: { type: 'integer', minimum: 1 } }, required: ['path'], additionalProperties: false }
 * ```
 */
export function jsonSchemaOf(schemaClass: Function, options: JsonSchemaOptions = {}): JsonSchemaResult {
  if (typeof schemaClass !== 'function') throw new TypeError('jsonSchemaOf(schemaClass): schemaClass must be a class');
  const strict = options.forbidUnknown ?? true;
  let entry = cache.get(schemaClass);
  const known = strict ? entry?.strict : entry?.loose;
  if (known) return known;
  prepareSchema(schemaClass as abstract new (...args: any[]) => unknown);
  const result: JsonSchemaResult = deepFreeze(buildClassSchema(schemaClass, strict));
  if (!entry) cache.set(schemaClass, (entry = {}));
  if (strict) entry.strict = result;
  else entry.loose = result;
  logOnce(schemaClass, result.warnings);
  return result;
}
