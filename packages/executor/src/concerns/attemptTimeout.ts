import { checkTimeoutOptions } from '@aiecs/core';
import { eventBase } from '../events/eventBase';
import { AttemptTimeoutPolicy } from '../policies/AttemptTimeoutPolicy';
import { defineConcern } from './Concern';
import { layeredPolicy } from './layeredPolicy';

/**
 * `@Timeout`, per attempt: at the limit the attempt's signal is aborted and (aggressive) the attempt fails with a retryable
 * `TimeoutError`. When the call is aborted first (its deadline, the caller's signal), the attempt's timer is cancelled.
 */
export const attemptTimeout = defineConcern({
  name: 'attemptTimeout',
  reads: ['timeout'],
  configKeys: ['timeout'],
  ...layeredPolicy('timeout', checkTimeoutOptions),
  create: (plan, { site, timers, events }) => {
    const policy = new AttemptTimeoutPolicy(plan, timers.forDelay(plan.ms), site);
    return {
      policy,
      wrap: (next) => (call, input) =>
        policy.run(
          () => next(call, input),
          (error) => {
            events.emit('timeout', { ...eventBase(call), scope: 'attempt', timeoutMs: plan.ms });
            call.current?.abort(error);
          },
          // The call's deadline or the caller's abort ends the attempt too: its timer must not outlive the call.
          call,
        ),
    };
  },
});
