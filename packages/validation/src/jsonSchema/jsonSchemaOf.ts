import { isStandardSchema } from '@aiecs/core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { prepareSchema } from '../bridge/prepareSchema';
import { standardJsonSchema } from '../standardSchema/standardJsonSchema';
import { buildClassSchema } from './classSchema';
import { finishResult } from './finish';
import type { JsonSchemaOptions, JsonSchemaResult } from './types';

/** Per class: the result with `additionalProperties: false` (strict) and without (loose), built on first use. */
const cache = new WeakMap<Function, { strict?: JsonSchemaResult; loose?: JsonSchemaResult }>();

/**
 * The JSON Schema (draft 2020-12) of the plain input that `schemaClass`'s validator accepts, generated
 * from the same class-validator / class-transformer metadata, once per class (cached; the result is
 * frozen). Types, `@IsOptional` (not required), bounds, lengths, patterns, enums, formats, arrays
 * (`each: true` → `items`), nested classes (`@ValidateNested` + `@Type` → `$defs`), `@Description`
 * texts, and `additionalProperties: false` unless `forbidUnknown: false`. A constraint the schema
 * cannot express is never dropped silently: it is listed in `warnings` (field, constraint, reason)
 * and logged once per class as a Node warning of type `AiecsSchemaWarning`.
 *
 * Also takes what else `@ValidateInput` takes, a Standard Schema (zod 4, valibot, arktype…): its
 * JSON Schema then comes from the library's own converter (see `standardJsonSchema`; `options` do
 * not apply, the schema decides about unknown keys), cached per schema object.
 *
 * @example
 * ```ts
 * class ReadInput {
 *   @Description('File path') @IsString() path!: string;
 *   @IsOptional() @IsInt() @Min(1) maxSize?: number;
 * }
 * jsonSchemaOf(ReadInput).schema;
 * jsonSchemaOf(z.strictObject({ path: z.string() })).schema; // zod's own converter
 * // { $schema, type: 'object', properties: { path: { type: 'string', description: 'File path' },
 * //   maxSize: { type: 'integer', minimum: 1 } }, required: ['path'], additionalProperties: false }
 * ```
 */
export function jsonSchemaOf(schemaClass: Function | StandardSchemaV1, options: JsonSchemaOptions = {}): JsonSchemaResult {
  if (isStandardSchema(schemaClass)) return standardJsonSchema(schemaClass);
  if (typeof schemaClass !== 'function')
    throw new TypeError('jsonSchemaOf(schemaClass): schemaClass must be a schema class or a Standard Schema');
  const strict = options.forbidUnknown ?? true;
  let entry = cache.get(schemaClass);
  const known = strict ? entry?.strict : entry?.loose;
  if (known) return known;
  prepareSchema(schemaClass as abstract new (...args: any[]) => unknown);
  const result = finishResult(schemaClass, schemaClass.name || 'a schema class', buildClassSchema(schemaClass, strict));
  if (!entry) cache.set(schemaClass, (entry = {}));
  if (strict) entry.strict = result;
  else entry.loose = result;
  return result;
}
