import { ConfigurationError } from '../errors/ConfigurationError';
import type { BulkheadOptions } from '../metadata/declarations';
import { checkNumber } from '../options/checkNumber';
import { policyDecorator, type PolicyDecorator } from './operationDecorator';

/** Throws `ConfigurationError` unless `options` are valid bulkhead options; `path` names them. */
export function checkBulkheadOptions(options: BulkheadOptions, path = 'Bulkhead'): BulkheadOptions {
  if (options === null || typeof options !== 'object') throw new ConfigurationError(path, options, 'expected an object');
  checkNumber(`${path}.limit`, options.limit, { min: 1, integer: true });
  if (options.queue !== undefined) checkNumber(`${path}.queue`, options.queue, { integer: true });
  return options;
}

/**
 * Limits concurrent executions to `limit`, with up to `queue` callers waiting; others get `BulkheadRejectedError`.
 *
 * @example
 * ```ts
 * @Bulkhead({ limit: 4, queue: 16 })
 * async render(input: PageInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function Bulkhead(options: BulkheadOptions): PolicyDecorator {
  return policyDecorator('Bulkhead', { bulkhead: checkBulkheadOptions(options) });
}
