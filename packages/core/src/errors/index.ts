export { AiecsError, type AiecsErrorOptions } from './AiecsError';
export { errorKind, isErrorKind, RETRY_CLASSIFICATION, type ErrorKind, type RetryClassification, type StatusRange } from './errorKind';
export { isAiecsError } from './isAiecsError';
export { registerErrorClass, type AiecsErrorClass } from './errorRegistry';
export type { AiecsErrorJSON, ErrorCauseJSON, PlainErrorJSON, JsonValue, JsonPrimitive } from './errorJson';
export { InputValidationError, type FieldError } from './InputValidationError';
export { SecurityError } from './SecurityError';
export {
  ToolExecutionError,
  UnknownOperationError,
  CircuitOpenError,
  BulkheadRejectedError,
  type OperationSite,
  type ToolExecutionErrorOptions,
} from './ToolExecutionError';
export { TimeoutError } from './TimeoutError';
export { AbortedError } from './AbortedError';
export { ConfigurationError } from './ConfigurationError';
export { WorkerCrashedError } from './WorkerCrashedError';
