import type { OperationDescriptor } from '@aiecs/executor';
import { jsonSchemaOf, type JsonSchemaResult } from '@aiecs/validation';

/** A JSON Schema object as the SDKs take it (plain JSON data). */
export type JsonObjectSchema = { readonly type: 'object' } & Readonly<Record<string, unknown>>;

/** An operation without a schema takes any object of named arguments. */
const ANY_OBJECT: JsonObjectSchema = Object.freeze({ type: 'object' });

const schemas = new WeakMap<object, JsonObjectSchema>();

/** The generated schema: the one the descriptor carries (`inputJsonSchema`), else `jsonSchemaOf` of its schema class. */
function generated(descriptor: OperationDescriptor): JsonSchemaResult | undefined {
  const carried = (descriptor as { readonly inputJsonSchema?: JsonSchemaResult }).inputJsonSchema;
  if (carried !== undefined) return carried;
  const schema: unknown = descriptor.inputSchema;
  return typeof schema === 'function' ? jsonSchemaOf(schema) : undefined;
}

/**
 * The JSON Schema of an operation's input, generated from its schema by `@aiecs/validation` (once per
 * schema, then reused: listing tools never regenerates it). `$schema` is left out, since the
 * function-calling APIs take a bare schema object.
 */
export function inputSchemaOf(descriptor: OperationDescriptor): JsonObjectSchema {
  const result = generated(descriptor);
  if (result === undefined) return ANY_OBJECT;
  const known = schemas.get(result.schema);
  if (known) return known;
  const { $schema: _dialect, ...schema } = result.schema as Record<string, unknown>;
  const objectSchema = Object.freeze({ ...schema, type: 'object' }) as JsonObjectSchema;
  schemas.set(result.schema, objectSchema);
  return objectSchema;
}
