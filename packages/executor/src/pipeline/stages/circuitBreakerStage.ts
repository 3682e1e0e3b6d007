import { CircuitOpenError, type CircuitBreakerOptions, type OperationSite } from '@aiecs/core';
import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  handleAll,
  IsolatedCircuitError,
  SamplingBreaker,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { Middleware } from '../Invocation';

const DEFAULT_THRESHOLD = 5;

/**
 * Creates the operation's breaker (one per tool instance and operation). It handles every error:
 * cockatiel counts an error its filter does not handle as a *success* of a half-open trial, which
 * would close the circuit on, say, an error excluded by `retryOn`.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreakerPolicy {
  const breaker = options.sampling
    ? new SamplingBreaker({
        threshold: options.sampling.threshold,
        duration: options.sampling.durationMs,
        minimumRps: options.sampling.minimumRps,
      })
    : new ConsecutiveBreaker(options.threshold ?? DEFAULT_THRESHOLD);
  return circuitBreaker(handleAll, { halfOpenAfter: options.halfOpenAfterMs, breaker });
}

/** Open circuit: the call fails fast with `CircuitOpenError` and never reaches retry or the method. */
export function circuitBreakerStage(policy: CircuitBreakerPolicy, site: OperationSite): Middleware {
  const translate = (error: unknown): never => {
    if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
      throw new CircuitOpenError(site, { cause: error });
    }
    throw error;
  };
  return (next) => (invocation) => policy.execute(() => next(invocation)).then(undefined, translate);
}
