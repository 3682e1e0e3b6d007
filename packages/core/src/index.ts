// First: the Symbol.metadata polyfill must run before any decorated class is defined.
import './metadata/symbolMetadataPolyfill';

export * from './errors';
export * from './metadata/declarations';
export { getToolMetadata } from './metadata/toolMetadata';
export { INVOKE_OPERATION, interceptOperation, isIntercepted, originalMethod, type OperationInvoker } from './metadata/interception';
export { checkNumber, type NumberRule } from './options/checkNumber';
export type { OperationMethodDecorator, PolicyDecorator } from './decorators/operationDecorator';
export type { ToolContext, CallOptions } from './context/ToolContext';
export { ValidateInput } from './decorators/ValidateInput';
export { Sanitize } from './decorators/Sanitize';
export { CacheResult } from './decorators/CacheResult';
export { MeasureTime } from './decorators/MeasureTime';
export { RunInExecutor } from './decorators/RunInExecutor';
export { Retry } from './decorators/Retry';
export { Timeout } from './decorators/Timeout';
export { CircuitBreaker } from './decorators/CircuitBreaker';
export { Bulkhead } from './decorators/Bulkhead';
export { Fallback } from './decorators/Fallback';
export { UsePolicy } from './decorators/UsePolicy';
