import type { RunInExecutorOptions } from '@aiecs/core';
import { observeAttempt } from '../events/observeAttempt';
import type { InvokeSite } from '../runtime/Invoker';
import { attemptTimeout } from './attemptTimeout';
import { defineConcern, type PlanSources } from './Concern';

/** The invoke stage's plan: how the operation asked to run, and (off-thread) how its timeout treats a late body. */
export interface InvokePlan {
  readonly runInExecutor?: RunInExecutorOptions;
  readonly timeoutStrategy?: InvokeSite['timeoutStrategy'];
}

function planInvoke(sources: PlanSources): InvokePlan {
  const { runInExecutor } = sources.declared;
  if (runInExecutor === undefined) return {};
  // An off-thread invoker must know whether the pipeline waits for a late body (cooperative) or not.
  const strategy = attemptTimeout.plan(sources)?.strategy;
  return strategy === 'cooperative' ? { runInExecutor, timeoutStrategy: strategy } : { runInExecutor };
}

/** Innermost: starts an attempt (its context, number, signal) and hands the method body to the runtime's invoker. */
export const invoke = defineConcern({
  name: 'invoke',
  reads: ['runInExecutor', 'timeout'],
  configKeys: [],
  plan: planInvoke,
  create: (plan, { site, target, invoker, events }) => {
    const invokeSite: InvokeSite = {
      tool: site.tool,
      operation: site.operation,
      target,
      runInExecutor: plan.runInExecutor,
      timeoutStrategy: plan.timeoutStrategy,
    };
    // The invoker may refuse the operation now (a ConfigurationError fails its pipeline's build, so its first call).
    invoker.prepare?.(invokeSite);
    return {
      // The innermost stage ignores `next` (there is nothing inside it).
      wrap: () => (call, input) => {
        // A call released by its deadline or its caller (say, while queued in a bulkhead) never starts.
        if (call.aborted) return Promise.reject(call.abortReason);
        const context = call.beginAttempt();
        if (!events.wants('attemptEnded') && !events.wants('attemptStarted'))
          return invoker.invoke(invokeSite, call.method, input, context);
        return observeAttempt(events, call, () => invoker.invoke(invokeSite, call.method, input, context));
      },
    };
  },
});
