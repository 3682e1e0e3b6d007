import { ConfigurationError } from '../errors/ConfigurationError';
import type { CircuitBreakerOptions } from '../metadata/declarations';
import { checkNumber } from '../options/checkNumber';
import { policyDecorator, type PolicyDecorator } from './operationDecorator';

/** Throws `ConfigurationError` unless `options` are valid breaker options; `path` names them. */
export function checkCircuitBreakerOptions(options: CircuitBreakerOptions, path = 'CircuitBreaker'): CircuitBreakerOptions {
  if (options === null || typeof options !== 'object') throw new ConfigurationError(path, options, 'expected an object');
  checkNumber(`${path}.halfOpenAfterMs`, options.halfOpenAfterMs);
  if (options.threshold !== undefined) checkNumber(`${path}.threshold`, options.threshold, { min: 1, integer: true });
  if (options.sampling !== undefined) {
    checkNumber(`${path}.sampling.threshold`, options.sampling.threshold, { max: 1 });
    checkNumber(`${path}.sampling.durationMs`, options.sampling.durationMs, { min: 1 });
    if (options.sampling.minimumRps !== undefined) checkNumber(`${path}.sampling.minimumRps`, options.sampling.minimumRps);
  }
  return options;
}

/**
 * Fails fast with `CircuitOpenError` after repeated failures, until a trial call succeeds.
 *
 * @example
 * ```ts
 * @CircuitBreaker({ threshold: 5, halfOpenAfterMs: 10_000 })
 * class PaymentsTool extends BaseTool { … }
 * ```
 */
export function CircuitBreaker(options: CircuitBreakerOptions): PolicyDecorator {
  return policyDecorator('CircuitBreaker', { circuitBreaker: checkCircuitBreakerOptions(options) });
}
