import '@aiecs/core';

export { BaseTool } from './BaseTool';
export { ToolExecutor, type HealthReport, type OperationDescription } from './ToolExecutor';
export { ExecutionUtils, type ExecutionUtilsOptions } from './ExecutionUtils';
export { DEFAULT_TOOL_CONFIG, type ToolConfig, type ToolConfigInput, type OperationConfig } from './config/ToolConfig';
export { resolveToolConfig } from './config/resolveToolConfig';
export { configFromEnvironment, ENVIRONMENT_VARIABLES } from './config/environment';
export { consoleLogger, LOG_LEVELS, type Logger, type LogLevel } from './logging/Logger';
export type { MetricsSnapshot, OperationMetrics } from './metrics/ExecutorMetrics';
export type { CacheStore } from './cache/CacheStore';
export { MemoryCacheStore } from './cache/MemoryCacheStore';
export { generateCacheKey, generateExecutionCacheKey } from './cache/cacheKey';
export { PIPELINE_ORDER, type StageName } from './pipeline/pipelineOrder';
export type { OperationPlan } from './planning/OperationPlan';
export { isRetryable } from './policies/isRetryable';
export type { BatchItem, BatchOptions, OperationInput, OperationName, OperationResult } from './tool/operationTypes';
export type { Settled } from './tool/mapWithConcurrency';
