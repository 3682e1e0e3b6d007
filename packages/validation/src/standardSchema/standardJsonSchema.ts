import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import { finishResult } from '../jsonSchema/finish';
import { JSON_SCHEMA_DIALECT, type JsonSchemaObject, type JsonSchemaResult, type SchemaWarning } from '../jsonSchema/types';

/** A converter of one library: the JSON Schema of the schema's input, or a throw when it cannot express it all. */
type Converter = (schema: StandardSchemaV1, strict: boolean) => Record<string, unknown>;

const TARGET = 'draft-2020-12';

/** The Standard JSON Schema converter (`~standard.jsonSchema`, zod ≥ 4.2, arktype, valibot's `toStandardJsonSchema`…). */
function standardConverter(schema: StandardSchemaV1): Converter | undefined {
  const converter = (schema['~standard'] as Partial<StandardJSONSchemaV1.Props>).jsonSchema;
  if (typeof converter?.input !== 'function') return undefined;
  // Lenient retry: zod's option to write unrepresentable parts as {} instead of throwing.
  return (_schema, strict) => converter.input({ target: TARGET, ...(!strict && { libraryOptions: { unrepresentable: 'any' } }) });
}

/** The vendor's own converter package, when the schema does not carry a Standard JSON Schema converter. */
function vendorConverter(vendor: string): Converter | undefined {
  if (vendor !== 'valibot') return undefined;
  let toJsonSchema: ((schema: unknown, config: Record<string, unknown>) => Record<string, unknown>) | undefined;
  try {
    // Optional peer dependency: only loaded for valibot schemas.
    ({ toJsonSchema } = require('@valibot/to-json-schema') as { toJsonSchema: typeof toJsonSchema });
  } catch {
    return undefined;
  }
  return (schema, strict) => toJsonSchema!(schema, { target: TARGET, typeMode: 'input', errorMode: strict ? 'throw' : 'ignore' });
}

/** `message` of whatever a converter threw. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `convert` strictly; if it throws (something it cannot express), reports that and runs it leniently. */
function convertReporting(schema: StandardSchemaV1, convert: Converter, warnings: SchemaWarning[]): Record<string, unknown> {
  const vendor = schema['~standard'].vendor;
  try {
    return convert(schema, true);
  } catch (error) {
    warnings.push({
      field: '',
      constraint: `${vendor} schema`,
      reason: `its converter cannot express part of it (${messageOf(error)}); those parts accept any value in the JSON Schema`,
    });
    return convert(schema, false);
  }
}

/** Builds the result for a Standard Schema (see `standardJsonSchema`). */
function buildStandard(schema: StandardSchemaV1): JsonSchemaResult {
  const vendor = schema['~standard'].vendor;
  const warnings: SchemaWarning[] = [];
  const convert = standardConverter(schema) ?? vendorConverter(vendor);
  let converted: Record<string, unknown> = {};
  if (!convert) {
    warnings.push({
      field: '',
      constraint: `${vendor} schema`,
      reason: `the ${vendor} schema has no JSON Schema converter (no ~standard.jsonSchema${vendor === 'valibot' ? ', and @valibot/to-json-schema is not installed' : ''}); the JSON Schema accepts any value`,
    });
  } else {
    try {
      converted = convertReporting(schema, convert, warnings);
    } catch (error) {
      warnings.push({
        field: '',
        constraint: `${vendor} schema`,
        reason: `its converter failed (${messageOf(error)}); the JSON Schema accepts any value`,
      });
    }
  }
  // A copy: the converter's objects belong to the library (and are about to be frozen).
  const copy = JSON.parse(JSON.stringify(converted)) as Record<string, unknown>;
  const json: JsonSchemaObject = { $schema: JSON_SCHEMA_DIALECT, ...copy };
  return { schema: json, warnings };
}

const cache = new WeakMap<object, JsonSchemaResult>();

/**
 * The JSON Schema (draft 2020-12) of a Standard Schema's input, from the library's own converter:
 * `~standard.jsonSchema.input({ target: 'draft-2020-12' })` where the schema carries one (Standard
 * JSON Schema: zod 4.2+, arktype, valibot's `toStandardJsonSchema(schema)`), else for valibot
 * `@valibot/to-json-schema` when it is installed. What the converter cannot express (zod throws for
 * `z.date()`, transforms…) is reported as a warning and written as "any value". Cached per schema
 * object; frozen.
 */
export function standardJsonSchema(schema: StandardSchemaV1): JsonSchemaResult {
  let result = cache.get(schema);
  if (!result) {
    result = finishResult(schema, `a ${schema['~standard'].vendor} schema`, buildStandard(schema));
    cache.set(schema, result);
  }
  return result;
}
