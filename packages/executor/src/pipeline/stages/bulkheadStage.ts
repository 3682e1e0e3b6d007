import { BulkheadRejectedError, type BulkheadOptions, type OperationSite } from '@aiecs/core';
import { bulkhead, BulkheadRejectedError as CockatielBulkheadRejected, type BulkheadPolicy } from 'cockatiel';
import type { Middleware } from '../Invocation';

/** Creates the operation's bulkhead (one per tool instance and operation, shared by all its calls). */
export function createBulkhead(options: BulkheadOptions): BulkheadPolicy {
  return bulkhead(options.limit, options.queue ?? 0);
}

/**
 * At most `limit` calls run, `queue` wait; others fail fast with `BulkheadRejectedError`. A queued
 * call whose deadline passes has already released its caller, and its scope stops it from starting.
 */
export function bulkheadStage(policy: BulkheadPolicy, options: BulkheadOptions, site: OperationSite): Middleware {
  const translate = (error: unknown): never => {
    if (error instanceof CockatielBulkheadRejected) {
      throw new BulkheadRejectedError(site, options.limit, options.queue ?? 0, { cause: error });
    }
    throw error;
  };
  return (next) => (invocation) => policy.execute(() => next(invocation)).then(undefined, translate);
}
