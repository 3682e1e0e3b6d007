import { AbortedError, TimeoutError, type OperationSite } from '@aiecs/core';
import { CallScope, DEFAULT_TASK_ID, DEFAULT_USER_ID } from '../../context/CallScope';
import { onAbort } from '../../context/onAbort';
import type { OperationCounters } from '../../metrics/ExecutorMetrics';
import type { DelayTimers } from '../../policies/DelayTimers';
import { oneShotTimer, type ExpiryScheduler } from '../../policies/FixedDelayTimer';
import { raceDeadline } from '../../policies/raceDeadline';
import type { Handler, Invocation, Middleware } from '../Invocation';


/**
 * Opens the call's scope and bounds the whole call, retries and backoff included: the caller is
 * released at the deadline (the earlier of `timeoutMs` and `context.deadlineMs`) or when its own
 * signal aborts, even if the method ignores its signal; the scope is aborted so no attempt starts later.
 */
export function deadlineStage(site: OperationSite, timeoutMs: () => number, timers: DelayTimers, counters: OperationCounters): Middleware {
  return (next) => {
    const bounded = (invocation: Invocation): Promise<unknown> => {
      const configuredMs = timeoutMs();
      const ms = remainingMs(configuredMs, invocation.options?.deadlineMs);
      if (ms === undefined) return next(invocation);
      // The operation's own timeout is the same for every call: one shared queue timer. A caller's
      // earlier deadline differs per call: a timer of its own.
      const timer: ExpiryScheduler = ms === configuredMs ? timers.forDelay(ms) : oneShotTimer(ms);
      return raceDeadline(() => next(invocation), timer, () => {
        counters.timeouts++;
        return invocation.scope!.abort(new TimeoutError(ms, 'call', site));
      });
    };
    return (invocation) => {
      const options = invocation.options;
      invocation.scope = new CallScope(site.operation, options?.userId ?? DEFAULT_USER_ID, options?.taskId ?? DEFAULT_TASK_ID);
      const signal = options?.signal;
      if (signal === undefined) return bounded(invocation);
      if (signal.aborted) return Promise.reject(new AbortedError({ cause: signal.reason }));
      return untilAborted(bounded, invocation, signal);
    };
  };
}

function remainingMs(timeoutMs: number, deadlineMs: number | undefined): number | undefined {
  const fromDeadline = deadlineMs === undefined ? undefined : Math.max(0, deadlineMs - Date.now());
  if (timeoutMs <= 0) return fromDeadline;
  return fromDeadline === undefined ? timeoutMs : Math.min(timeoutMs, fromDeadline);
}

function untilAborted(next: Handler, invocation: Invocation, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const unsubscribe = onAbort(signal, () => reject(invocation.scope!.abort(new AbortedError({ cause: signal.reason }))));
    next(invocation)
      .then(resolve, reject)
      .finally(unsubscribe);
  });
}
