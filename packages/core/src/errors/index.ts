export { AiecsError } from './AiecsError';
export { InputValidationError, type FieldError } from './InputValidationError';
export { SecurityError } from './SecurityError';
export {
  ToolExecutionError,
  UnknownOperationError,
  CircuitOpenError,
  BulkheadRejectedError,
  type OperationSite,
} from './ToolExecutionError';
export { TimeoutError } from './TimeoutError';
export { AbortedError } from './AbortedError';
export { ConfigurationError } from './ConfigurationError';
