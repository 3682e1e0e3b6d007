// First: the Symbol.metadata polyfill must run before any decorated class is defined.
import './metadata/symbolMetadataPolyfill';

export * from './errors';
export * from './metadata/declarations';
export { getToolMetadata } from './metadata/toolMetadata';
export { kebabToolName } from './metadata/kebabToolName';
export { INVOKE_OPERATION, interceptOperation, isIntercepted, originalMethod, type OperationInvoker } from './metadata/interception';
export { checkNumber, type NumberRule } from './options/checkNumber';
export type { OperationMethodDecorator, PolicyDecorator } from './decorators/operationDecorator';
export { assertStandardDecoratorContext } from './decorators/standardDecoratorContext';
export { PIPELINE_CONTEXT, type ToolContext, type CallOptions, type ProgressReport } from './context/ToolContext';
export { ValidateInput, isStandardSchema } from './decorators/ValidateInput';
export { Sanitize, checkSanitizeOptions, SECURITY_RULE_NAMES } from './decorators/Sanitize';
export { CacheResult, checkCacheOptions } from './decorators/CacheResult';
export { MeasureTime } from './decorators/MeasureTime';
export { RunInExecutor } from './decorators/RunInExecutor';
export { Retry, checkRetryOptions } from './decorators/Retry';
export { Timeout, checkTimeoutOptions } from './decorators/Timeout';
export { CircuitBreaker, checkCircuitBreakerOptions } from './decorators/CircuitBreaker';
export { Bulkhead, checkBulkheadOptions } from './decorators/Bulkhead';
export { Fallback } from './decorators/Fallback';
export { UsePolicy } from './decorators/UsePolicy';
export { Tool, checkToolOptions } from './decorators/Tool';
export { Operation, checkOperationOptions } from './decorators/Operation';
export { checkRunInExecutorOptions } from './decorators/RunInExecutor';
