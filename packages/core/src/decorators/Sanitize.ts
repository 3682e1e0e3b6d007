import type { SanitizeOptions } from '../metadata/declarations';
import { operationDecorator, type OperationMethodDecorator } from './operationDecorator';

/** Checks every string in the input (nested ones too) against security rules; a match throws `SecurityError`. *
 * @example
 * ```ts
 * @ValidateInput(QueryInput) @Sanitize({ exclude: ['notes'] })
 * async query(input: QueryInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function Sanitize(options: SanitizeOptions = {}): OperationMethodDecorator {
  return operationDecorator('Sanitize', { sanitize: options });
}
