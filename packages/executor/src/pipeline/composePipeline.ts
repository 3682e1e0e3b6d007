import type { OperationSite, PolicyLike } from '@aiecs/core';
import { createInputValidator } from '@aiecs/validation';
import type { CacheStore } from '../cache/CacheStore';
import type { SingleFlight } from '../cache/SingleFlight';
import type { Logger } from '../logging/Logger';
import type { DelayTimers } from '../policies/DelayTimers';
import type { OperationCounters } from '../metrics/ExecutorMetrics';
import type { OperationPlan } from '../planning/OperationPlan';
import { createSanitizer } from '../security/sanitizeInput';
import type { Handler, Middleware } from './Invocation';
import { PIPELINE_ORDER, type StageName } from './pipelineOrder';
import { attemptTimeoutStage } from './stages/attemptTimeoutStage';
import { bulkheadStage, createBulkhead } from './stages/bulkheadStage';
import { cacheLookupStage } from './stages/cacheLookupStage';
import { cacheStoreStage } from './stages/cacheStoreStage';
import { circuitBreakerStage, createCircuitBreaker } from './stages/circuitBreakerStage';
import { customPoliciesStage } from './stages/customPoliciesStage';
import { deadlineStage } from './stages/deadlineStage';
import { fallbackStage } from './stages/fallbackStage';
import { instrumentStage } from './stages/instrumentStage';
import { invokeMethod } from './stages/invokeMethod';
import { measureStage } from './stages/measureStage';
import { retryStage } from './stages/retryStage';
import { sanitizeStage } from './stages/sanitizeStage';
import { singleFlightStage } from './stages/singleFlightStage';
import { validateStage } from './stages/validateStage';

/** What the stages of one operation share with the executor. */
export interface PipelineServices {
  readonly cache: CacheStore;
  readonly flights: SingleFlight;
  readonly logger: Logger;
  readonly counters: OperationCounters;
  /** The executor's shared deadline timers. */
  readonly timers: DelayTimers;
  /** Current overall timeout of the operation (it can change at run time: `setOperationTimeout`). */
  readonly timeoutMs: () => number;
}

/** An operation ready to run: its handler, and the stateful policies (for health and metrics). */
export interface CompiledOperation {
  readonly plan: OperationPlan;
  readonly handler: Handler;
  readonly stages: readonly StageName[];
  readonly circuitBreaker?: { readonly state: unknown };
}

/**
 * Builds the operation's handler once: the stages its plan needs, in `PIPELINE_ORDER`. Stateful
 * policies (breaker, bulkhead) are created here, so all calls of the operation on this tool share them.
 */
export function composePipeline(plan: OperationPlan, services: PipelineServices): CompiledOperation {
  const site: OperationSite = { tool: plan.tool, operation: plan.operation };
  const { cache, flights, logger, counters } = services;
  const breaker = plan.circuitBreaker && createCircuitBreaker(plan.circuitBreaker);
  const policies: PolicyLike[] = plan.policies.map((p) => (typeof p === 'function' ? p(site) : p));

  const stages: Partial<Record<StageName, Middleware>> = {
    instrument: instrumentStage(site, counters),
    cacheLookup: plan.cacheTtlMs !== undefined ? cacheLookupStage(plan.tool, plan.operation, cache, counters) : undefined,
    validate: plan.validate && validateStage(createInputValidator(plan.validate.schema, plan.validate.options, plan.operation)),
    sanitize: plan.sanitize && sanitizeStage(createSanitizer(plan.sanitize)),
    fallback: plan.fallback && fallbackStage(plan.fallback.value, plan.operation, logger),
    deadline: deadlineStage(site, services.timeoutMs, services.timers, counters),
    singleFlight: plan.cacheTtlMs !== undefined ? singleFlightStage(flights) : undefined,
    cacheStore: plan.cacheTtlMs !== undefined ? cacheStoreStage(cache, plan.cacheTtlMs, logger) : undefined,
    bulkhead: plan.bulkhead && bulkheadStage(createBulkhead(plan.bulkhead), plan.bulkhead, site),
    circuitBreaker: breaker && circuitBreakerStage(breaker, site),
    // One attempt needs no retry loop (invokeMethod still refuses to start after an abort).
    retry: plan.retry.attempts > 1 ? retryStage(plan.retry, plan.operation, counters, logger) : undefined,
    attemptTimeout: plan.attemptTimeout && attemptTimeoutStage(plan.attemptTimeout, services.timers.forDelay(plan.attemptTimeout.ms), site, counters),
    customPolicies: policies.length > 0 ? customPoliciesStage(policies) : undefined,
    measure: plan.measure ? measureStage(plan.operation, counters, logger) : undefined,
  };

  const active = PIPELINE_ORDER.filter((name) => name === 'invoke' || stages[name] !== undefined);
  let handler: Handler = invokeMethod;
  for (let i = active.length - 2; i >= 0; i--) handler = stages[active[i]]!(handler);
  return { plan, handler, stages: active, circuitBreaker: breaker };
}
