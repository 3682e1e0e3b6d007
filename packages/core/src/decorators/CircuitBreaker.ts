import type { CircuitBreakerOptions } from '../metadata/declarations';
import { checkNumber } from '../options/checkNumber';
import { policyDecorator, type PolicyDecorator } from './operationDecorator';

/** Fails fast with `CircuitOpenError` after repeated failures, until a trial call succeeds. */
export function CircuitBreaker(options: CircuitBreakerOptions): PolicyDecorator {
  checkNumber('CircuitBreaker.halfOpenAfterMs', options.halfOpenAfterMs);
  if (options.threshold !== undefined) checkNumber('CircuitBreaker.threshold', options.threshold, { min: 1, integer: true });
  if (options.sampling) checkNumber('CircuitBreaker.sampling.threshold', options.sampling.threshold, { max: 1 });
  return policyDecorator('CircuitBreaker', { circuitBreaker: options });
}
