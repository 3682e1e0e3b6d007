import '@aiecs/core';

export { BaseTool } from './BaseTool';
export { ToolExecutor, type HealthReport, type HealthStatus, type OperationDescription, type ToolBinding } from './ToolExecutor';
export { App, createApp, type AppHealthReport, type AppOptions, type AppWarmUpItem, type ToolClass, type ToolEntry } from './app/App';
export { describeTool, type OperationDescriptor, type ToolDescriptor } from './describe/describeTool';
export { ToolRuntime, type ToolRuntimeOptions } from './runtime/ToolRuntime';
export { inProcessInvoker, type Invoker, type InvokeSite } from './runtime/Invoker';
export { abortSourceOf, type AbortSource } from './context/abortSource';
export { EventBus } from './events/EventBus';
export * from './events/ToolEvents';
export { ExecutionUtils, type CacheWarmUpItem, type ExecutionUtilsOptions } from './ExecutionUtils';
export {
  CACHE_BACKENDS,
  DEFAULT_TOOL_CONFIG,
  type CacheBackend,
  type ToolConfig,
  type ToolConfigInput,
  type OperationConfig,
} from './config/ToolConfig';
export { resolveToolConfig } from './config/resolveToolConfig';
export { configFromEnvironment, ENVIRONMENT_VARIABLES } from './config/environment';
export { consoleLogger, LOG_LEVELS, type Logger, type LogLevel } from './logging/Logger';
export { adaptLogger, detectLoggerStyle, type AdaptLoggerOptions, type LoggerStyle, type UserLogger } from './logging/adaptLogger';
export { ExecutorMetrics, type MetricsSnapshot, type OperationMetrics } from './metrics/ExecutorMetrics';
export type { CacheStore, CacheMemoryStats, FlightLocks } from './cache/CacheStore';
export type { WarmUpFailure, WarmUpItem, WarmUpOptions, WarmUpReport } from './cache/warmUp';
export { createDefaultCacheStore, REDIS_BACKEND_PACKAGE, setBackendModuleLoader, type CacheBackendModule } from './cache/defaultCacheStore';
export { MemoryCacheStore } from './cache/MemoryCacheStore';
export { generateCacheKey, generateExecutionCacheKey } from './cache/cacheKey';
export { toolKeyPrefix } from './cache/callKey';
export { CacheTimeoutError, UncacheableResultError } from './cache/storeHealth';
export { deferredCall, type PreparedCall } from './pipeline/PreparedCall';
export type { CallControl } from './pipeline/Call';
export { PIPELINE_ORDER, STAGE_NAMES, type StageName, type StagePlan } from './pipeline/pipelineOrder';
export type { Concern, PlanSources, StageServices, Stage } from './concerns/Concern';
export type { OperationPlan } from './planning/OperationPlan';
export { AttemptTimeoutPolicy } from './policies/AttemptTimeoutPolicy';
export { isRetryable } from './policies/isRetryable';
export type {
  BatchItem,
  BatchItemResult,
  BatchOptions,
  BatchResults,
  OperationInput,
  OperationName,
  OperationResult,
  PlainInput,
  RunArgs,
  SettledBatchResults,
} from './tool/operationTypes';
export type { Settled } from './tool/mapWithConcurrency';
export { defaultInvoker, type InvokedMethod, type InvokerFactory, type InvokerHost, type InvokerStats } from './runtime/Invoker';
export { errorTypeOf } from './events/observeAttempt';
export { readConfinedFile, type ReadConfinedOptions } from './security/readConfinedFile';
export { confinePath, isInside, CONFINEMENT_RULE, type ConfineOptions } from './security/confinePath';
export {
  SECURITY_LEVELS,
  SECURITY_LEVEL_DEFAULTS,
  type SecurityLevel,
  type SecurityLevelDefaults,
  type OutputScreenDefault,
} from './security/securityLevel';
export { createSanitizer, DEFAULT_RULES, type Sanitizer, type SanitizerDefaults, type ConfineTarget } from './security/sanitizeInput';
export { BUILTIN_SECURITY_RULES, type BuiltinRule } from './security/securityRules';
export { INSTRUCTION_RULES, findInstruction } from './security/instructionRules';
export { measureInput, type InputMeasure } from './security/inputSize';
