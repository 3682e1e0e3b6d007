import type { BulkheadOptions } from '../metadata/declarations';
import { checkNumber } from '../options/checkNumber';
import { policyDecorator, type PolicyDecorator } from './operationDecorator';

/** Limits concurrent executions to `limit`, with up to `queue` callers waiting; others get `BulkheadRejectedError`. */
export function Bulkhead(options: BulkheadOptions): PolicyDecorator {
  checkNumber('Bulkhead.limit', options.limit, { min: 1, integer: true });
  if (options.queue !== undefined) checkNumber('Bulkhead.queue', options.queue, { integer: true });
  return policyDecorator('Bulkhead', { bulkhead: options });
}
