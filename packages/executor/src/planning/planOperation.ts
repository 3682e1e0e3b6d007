import {
  getToolMetadata,
  type Constructor,
  type OperationDeclaration,
  type PolicyDeclarations,
  type TimeoutOptions,
  type ValidateDeclaration,
} from '@aiecs/core';
import type { OperationConfig, ToolConfig } from '../config/ToolConfig';
import { createBackoff } from '../policies/backoff';
import type { OperationPlan } from './OperationPlan';

/**
 * Merges, per concern: configuration (`operations[op]`, `setOperationTimeout`) over the operation's
 * decorators over the tool class's decorators over the tool-wide options.
 */
export function planOperation(
  toolClass: Constructor,
  tool: string,
  operation: string,
  config: ToolConfig,
  timeoutOverrideMs?: number,
): OperationPlan {
  const metadata = getToolMetadata(toolClass);
  const declared: Partial<OperationDeclaration> = metadata.operations.get(operation) ?? {};
  const configured: OperationConfig = config.operations[operation] ?? {};
  const policies = codePolicies(declared, metadata.toolPolicies);

  const retry = { ...policies.retry, ...configured.retry };
  const attemptTimeout = toTimeoutOptions(configured.timeout) ?? policies.timeout;
  const validate = declared.validate ?? conventionalSchema(toolClass, operation);
  const cached = config.enableCache && config.cacheSize > 0 && declared.cache !== undefined;

  return {
    tool,
    operation,
    validate,
    sanitize: config.enableSecurityChecks ? declared.sanitize : undefined,
    cacheTtlMs: cached ? (configured.cacheTtlMs ?? declared.cache?.ttlMs ?? config.cacheTtlMs) : undefined,
    timeoutMs: timeoutOverrideMs ?? configured.timeoutMs ?? config.timeoutMs,
    retry: {
      attempts: retry.attempts ?? config.retryAttempts,
      backoff: createBackoff(retry, config.retryBackoffMs),
      retryOn: retry.retryOn,
    },
    attemptTimeout,
    circuitBreaker: configured.circuitBreaker ?? policies.circuitBreaker,
    bulkhead: configured.bulkhead ?? policies.bulkhead,
    fallback: policies.fallback,
    policies: [...(policies.policies ?? []), ...(configured.policies ?? [])],
    measure: declared.measure === true || config.logExecutionTime,
    runInExecutor: declared.runInExecutor,
  };
}

/** An operation's own policy declarations replace the class-wide ones, concern by concern. */
function codePolicies(declared: PolicyDeclarations, toolWide: PolicyDeclarations): PolicyDeclarations {
  return {
    retry: declared.retry ?? toolWide.retry,
    timeout: declared.timeout ?? toolWide.timeout,
    circuitBreaker: declared.circuitBreaker ?? toolWide.circuitBreaker,
    bulkhead: declared.bulkhead ?? toolWide.bulkhead,
    fallback: declared.fallback ?? toolWide.fallback,
    policies: declared.policies ?? toolWide.policies,
  };
}

function toTimeoutOptions(timeout: OperationConfig['timeout']): TimeoutOptions | undefined {
  return typeof timeout === 'number' ? { ms: timeout } : timeout;
}

/** The seed's convention: a static `ReadSchema` member on the tool class is the schema of operation `read`. */
export function conventionalSchema(toolClass: Constructor, operation: string): ValidateDeclaration | undefined {
  const key = `${operation.charAt(0).toUpperCase()}${operation.slice(1)}Schema`;
  const schema = (toolClass as unknown as Record<string, unknown>)[key];
  return typeof schema === 'function' ? { schema: schema as Constructor, options: {} } : undefined;
}
