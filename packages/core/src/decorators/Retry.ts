import { ConfigurationError } from '../errors/ConfigurationError';
import type { RetryOptions } from '../metadata/declarations';
import { checkNumber } from '../options/checkNumber';
import { policyDecorator, type PolicyDecorator } from './operationDecorator';

/** Throws `ConfigurationError` unless `options` are valid retry options; `path` (`Retry`, `operations.read.retry`) names them. */
export function checkRetryOptions(options: RetryOptions, path = 'Retry'): RetryOptions {
  if (options === null || typeof options !== 'object') throw new ConfigurationError(path, options, 'expected an object');
  if (options.attempts !== undefined) checkNumber(`${path}.attempts`, options.attempts, { min: 1, integer: true });
  if (options.initialDelayMs !== undefined) checkNumber(`${path}.initialDelayMs`, options.initialDelayMs);
  if (options.maxDelayMs !== undefined) checkNumber(`${path}.maxDelayMs`, options.maxDelayMs);
  const { backoff } = options;
  if (backoff !== undefined && backoff !== 'exponential' && backoff !== 'constant' && typeof backoff?.next !== 'function') {
    throw new ConfigurationError(`${path}.backoff`, backoff, "expected 'exponential', 'constant' or a cockatiel backoff");
  }
  if (options.retryOn !== undefined && typeof options.retryOn !== 'function')
    throw new ConfigurationError(`${path}.retryOn`, options.retryOn, 'expected a function');
  return options;
}

/**
 * Retries failed attempts with backoff; `attempts` counts every attempt, the first one included.
 * Only errors whose `kind` is `transient` are retried.
 *
 * @example
 * ```ts
 * @Retry({ attempts: 5, backoff: 'exponential', initialDelayMs: 100, maxDelayMs: 5_000 })
 * async fetchRemote(input: UrlInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function Retry(options: RetryOptions = {}): PolicyDecorator {
  checkRetryOptions(options);
  return policyDecorator('Retry', { retry: options });
}
