import { ConfigurationError } from '../errors/ConfigurationError';
import type { TimeoutOptions } from '../metadata/declarations';
import { checkNumber } from '../options/checkNumber';
import { policyDecorator, type PolicyDecorator } from './operationDecorator';

/** Normalises `ms | { ms, strategy }` and throws `ConfigurationError` unless valid; `path` names the option. */
export function checkTimeoutOptions(msOrOptions: number | TimeoutOptions, path = 'Timeout'): TimeoutOptions {
  const options = typeof msOrOptions === 'number' ? { ms: msOrOptions } : msOrOptions;
  if (options === null || typeof options !== 'object')
    throw new ConfigurationError(path, msOrOptions, 'expected milliseconds or { ms, strategy }');
  checkNumber(`${path}.ms`, options.ms, { min: 1 });
  if (options.strategy !== undefined && options.strategy !== 'aggressive' && options.strategy !== 'cooperative') {
    throw new ConfigurationError(`${path}.strategy`, options.strategy, "expected 'aggressive' or 'cooperative'");
  }
  return options;
}

/**
 * Limits each attempt to `ms` milliseconds (aggressive by default: the caller is released at the limit).
 *
 * @example
 * ```ts
 * @Timeout(2_000) @Retry({ attempts: 3 })
 * async query(input: QueryInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function Timeout(msOrOptions: number | TimeoutOptions): PolicyDecorator {
  return policyDecorator('Timeout', { timeout: checkTimeoutOptions(msOrOptions) });
}
