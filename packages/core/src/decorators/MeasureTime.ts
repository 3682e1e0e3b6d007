import { operationDecorator, type OperationMethodDecorator } from './operationDecorator';

/** Records the operation's execution time in the executor's metrics and logs it at debug level. *
 * @example
 * ```ts
 * @MeasureTime()
 * async parse(input: DocInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function MeasureTime(): OperationMethodDecorator {
  return operationDecorator('MeasureTime', { measure: true });
}
