import { errorKind } from '@aiecs/core';
import { eventBase } from '../events/eventBase';
import { defineConcern } from './Concern';

/**
 * `@Fallback`: answers with a value (or a function of the error) instead of a failure. Errors of kind
 * `caller` (bad input, security, the caller's abort) are not replaced: they are the caller's to see.
 * It sits outside the cache store, so a fallback is never cached.
 */
export const fallback = defineConcern({
  name: 'fallback',
  reads: ['fallback'],
  configKeys: [],
  plan: ({ declared, toolWide }) => declared.fallback ?? toolWide.fallback,
  create: (plan, { events }) => ({
    wrap: (next) => (call, input) =>
      next(call, input).then(undefined, (error: unknown) => {
        if (errorKind(error) === 'caller') throw error;
        events.emit('fallbackUsed', { ...eventBase(call), error });
        return typeof plan.value === 'function' ? (plan.value as (error: unknown) => unknown)(error) : plan.value;
      }),
  }),
});
