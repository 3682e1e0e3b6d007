import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { InputSchema, ValidateOptions } from '../metadata/declarations';
import { checkNumber } from '../options/checkNumber';
import { operationDecorator, type OperationMethodDecorator } from './operationDecorator';

/**
 * True when `value` implements Standard Schema v1 (`~standard` with `version: 1` and a `validate`
 * function). Checked before "is it a class": some libraries' schemas are functions (arktype).
 */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const standard = (value as { '~standard'?: unknown })['~standard'];
  return (
    typeof standard === 'object' &&
    standard !== null &&
    (standard as { version?: unknown }).version === 1 &&
    typeof (standard as { validate?: unknown }).validate === 'function'
  );
}

/**
 * Validates the operation's input against `schema` and hands the method the validated value; a
 * failure rejects with `InputValidationError` listing each field. `schema` is a class decorated with
 * `@aiecs/validation` (the method receives an instance of it), or any Standard Schema — zod 4,
 * valibot, arktype… (the method receives the schema's output; its issues become the same
 * `InputValidationError`, with dotted field paths). `maxDepth` applies to both; `forbidUnknown`
 * only to schema classes (a Standard Schema decides about unknown keys itself, e.g. `z.strictObject`).
 *
 * @example
 * ```ts
 * @ValidateInput(ReadInput, { maxDepth: 8 })
 * async read(input: ReadInput, ctx = PIPELINE_CONTEXT) { … }
 *
 * @ValidateInput(z.strictObject({ path: z.string() }))
 * async stat(input: { path: string }, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function ValidateInput(schema: InputSchema, options: ValidateOptions = {}): OperationMethodDecorator {
  if (!isStandardSchema(schema) && typeof schema !== 'function') {
    throw new TypeError('@ValidateInput(schema): schema must be a schema class or a Standard Schema (zod, valibot, arktype…)');
  }
  if (options.maxDepth !== undefined) checkNumber('ValidateInput.maxDepth', options.maxDepth, { min: 1, integer: true });
  return operationDecorator('ValidateInput', { validate: { schema, options } });
}
