import { TimeoutError, type OperationSite, type TimeoutOptions } from '@aiecs/core';
import type { OperationCounters } from '../../metrics/ExecutorMetrics';
import type { FixedDelayTimer } from '../../policies/FixedDelayTimer';
import { raceDeadline, signalAtDeadline } from '../../policies/raceDeadline';
import type { Invocation, Middleware } from '../Invocation';

/**
 * Limits each attempt. Both strategies abort the attempt's signal at the limit; `aggressive` (the
 * default) also rejects at once with `TimeoutError` (retryable), `cooperative` waits for the method.
 */
export function attemptTimeoutStage(
  options: TimeoutOptions,
  timer: FixedDelayTimer,
  site: OperationSite,
  counters: OperationCounters,
): Middleware {
  const expire = (invocation: Invocation): TimeoutError => {
    const error = new TimeoutError(options.ms, 'attempt', site);
    counters.timeouts++;
    invocation.scope!.current?.abort(error);
    return error;
  };
  return (next) =>
    options.strategy === 'cooperative'
      ? (invocation) => signalAtDeadline(() => next(invocation), timer, () => expire(invocation))
      : (invocation) => raceDeadline(() => next(invocation), timer, () => expire(invocation));
}
