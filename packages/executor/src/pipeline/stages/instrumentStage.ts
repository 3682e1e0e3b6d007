import { AiecsError, ToolExecutionError, type OperationSite } from '@aiecs/core';
import type { OperationCounters } from '../../metrics/ExecutorMetrics';
import type { Middleware } from '../Invocation';

/** Wraps a method's own error so the caller learns which tool and operation failed; the original is `cause`. */
export function toCallerError(site: OperationSite, error: unknown): unknown {
  // The framework's own errors (validation, security, timeout, abort, circuit, …) reach the caller as they are.
  if (error instanceof AiecsError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ToolExecutionError(site, reason, { cause: error });
}

/** Outermost stage: counts every call (hits included) and every failure, and maps errors for the caller. */
export function instrumentStage(site: OperationSite, counters: OperationCounters): Middleware {
  const onError = (error: unknown): never => {
    counters.failures++;
    throw toCallerError(site, error);
  };
  return (next) => (invocation) => {
    counters.requests++;
    return next(invocation).then(undefined, onError);
  };
}
