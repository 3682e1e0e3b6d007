import type { RunInExecutorOptions } from '@aiecs/core';
import { observeAttempt } from '../events/observeAttempt';
import type { InvokeSite } from '../runtime/Invoker';
import { defineConcern } from './Concern';

/** Innermost: starts an attempt (its context, number, signal) and hands the method body to the runtime's invoker. */
export const invoke = defineConcern({
  name: 'invoke',
  reads: ['runInExecutor'],
  configKeys: [],
  plan: ({ declared }): { readonly runInExecutor?: RunInExecutorOptions } => (declared.runInExecutor ? { runInExecutor: declared.runInExecutor } : {}),
  create: (plan, { site, target, invoker, events }) => {
    const invokeSite: InvokeSite = { tool: site.tool, operation: site.operation, target, runInExecutor: plan.runInExecutor };
    return {
      // The innermost stage ignores `next` (there is nothing inside it).
      wrap: () => (call, input) => {
        // A call released by its deadline or its caller (say, while queued in a bulkhead) never starts.
        if (call.aborted) return Promise.reject(call.abortReason);
        const context = call.beginAttempt();
        if (!events.wants('attemptEnded') && !events.wants('attemptStarted')) return invoker.invoke(invokeSite, call.method, input, context);
        return observeAttempt(events, call, () => invoker.invoke(invokeSite, call.method, input, context));
      },
    };
  },
});
