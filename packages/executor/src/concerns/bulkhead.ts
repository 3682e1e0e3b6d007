import { BulkheadRejectedError, checkBulkheadOptions } from '@aiecs/core';
import { bulkhead as cockatielBulkhead, BulkheadRejectedError as CockatielBulkheadRejected } from 'cockatiel';
import { eventBase } from '../events/eventBase';
import type { Call } from '../pipeline/Call';
import { defineConcern } from './Concern';
import { layeredPolicy } from './layeredPolicy';

/**
 * `@Bulkhead`: at most `limit` calls run and `queue` wait; others fail fast with `BulkheadRejectedError`.
 * A queued call whose deadline passes has already released its caller, and never starts.
 */
export const bulkhead = defineConcern({
  name: 'bulkhead',
  reads: ['bulkhead'],
  configKeys: ['bulkhead'],
  ...layeredPolicy('bulkhead', checkBulkheadOptions),
  create: (plan, { site, events }) => {
    const queue = plan.queue ?? 0;
    const policy = cockatielBulkhead(plan.limit, queue);
    const translate = (call: Call, error: unknown): never => {
      if (error instanceof CockatielBulkheadRejected) {
        events.emit('bulkheadRejected', { ...eventBase(call), limit: plan.limit, queue });
        throw new BulkheadRejectedError(site, plan.limit, queue, { cause: error });
      }
      throw error;
    };
    return {
      policy,
      wrap: (next) => (call, input) => policy.execute(() => next(call, input)).then(undefined, (error: unknown) => translate(call, error)),
    };
  },
});
