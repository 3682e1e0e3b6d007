import { AbortedError, TimeoutError, type OperationSite } from '@aiecs/core';
import { CallScope } from '../../context/CallScope';
import { onAbort } from '../../context/onAbort';
import type { OperationCounters } from '../../metrics/ExecutorMetrics';
import { raceDeadline } from '../../policies/raceDeadline';
import type { Handler, Invocation, Middleware } from '../Invocation';

const ANONYMOUS = 'anonymous';
const NO_TASK = 'none';

/**
 * Opens the call's scope and bounds the whole call, retries and backoff included: the caller is
 * released at the deadline (the earlier of `timeoutMs` and `context.deadlineMs`) or when its own
 * signal aborts, even if the method ignores its signal; the scope is aborted so no attempt starts later.
 */
export function deadlineStage(site: OperationSite, timeoutMs: () => number, counters: OperationCounters): Middleware {
  return (next) => (invocation) => {
    const options = invocation.options;
    const scope = new CallScope(site.operation, options?.userId ?? ANONYMOUS, options?.taskId ?? NO_TASK);
    invocation.scope = scope;
    const ms = remainingMs(timeoutMs(), options?.deadlineMs);
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(new AbortedError({ cause: signal.reason }));
    const bounded = ms === undefined ? next : withDeadline(next, ms, site, counters);
    return signal ? untilAborted(bounded, invocation, signal) : bounded(invocation);
  };
}

function remainingMs(timeoutMs: number, deadlineMs: number | undefined): number | undefined {
  const fromDeadline = deadlineMs === undefined ? undefined : Math.max(0, deadlineMs - Date.now());
  if (timeoutMs <= 0) return fromDeadline;
  return fromDeadline === undefined ? timeoutMs : Math.min(timeoutMs, fromDeadline);
}

function withDeadline(next: Handler, ms: number, site: OperationSite, counters: OperationCounters): Handler {
  return (invocation) =>
    raceDeadline(
      () => next(invocation),
      ms,
      () => {
        const error = new TimeoutError(ms, 'call', site);
        counters.timeouts++;
        invocation.scope!.abort(error);
        return error;
      },
    );
}

function untilAborted(next: Handler, invocation: Invocation, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const unsubscribe = onAbort(signal, () => {
      const error = new AbortedError({ cause: signal.reason });
      invocation.scope!.abort(error);
      reject(error);
    });
    next(invocation)
      .then(resolve, reject)
      .finally(unsubscribe);
  });
}
