import { operationDecorator, type OperationMethodDecorator } from './operationDecorator';

/** Records the operation's execution time in the executor's metrics and logs it at debug level. */
export function MeasureTime(): OperationMethodDecorator {
  return operationDecorator('MeasureTime', { measure: true });
}
