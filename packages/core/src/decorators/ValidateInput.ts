import type { Constructor, ValidateOptions } from '../metadata/declarations';
import { checkNumber } from '../options/checkNumber';
import { operationDecorator, type OperationMethodDecorator } from './operationDecorator';

/**
 * Validates the operation's input against `schema` (a class decorated with `@aiecs/validation`);
 * the method receives the validated instance. Failures throw `InputValidationError`.
 *
 * @example
 * ```ts
 * @ValidateInput(ReadInput, { maxDepth: 8 })
 * async read(input: ReadInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function ValidateInput(schema: Constructor, options: ValidateOptions = {}): OperationMethodDecorator {
  if (typeof schema !== 'function') throw new TypeError('@ValidateInput(schema): schema must be a class');
  if (options.maxDepth !== undefined) checkNumber('ValidateInput.maxDepth', options.maxDepth, { min: 1, integer: true });
  return operationDecorator('ValidateInput', { validate: { schema, options } });
}
