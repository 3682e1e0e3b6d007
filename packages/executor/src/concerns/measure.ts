import { timedEvent } from '../events/eventBase';
import type { Call } from '../pipeline/Call';
import { defineConcern } from './Concern';

/** `@MeasureTime` (or `logExecutionTime`): times each attempt and reports it as an `attemptMeasured` event. */
export const measure = defineConcern({
  name: 'measure',
  reads: ['measure'],
  configKeys: [],
  plan: ({ declared, config }) => (declared.measure === true || config.logExecutionTime ? {} : undefined),
  create: (_plan, { events }) => ({
    wrap: (next) => (call: Call, input: unknown) => {
      const started = performance.now();
      const done = (outcome: 'success' | 'failure'): void =>
        events.emit('attemptMeasured', timedEvent(call, performance.now() - started, outcome));
      return next(call, input).then(
        (value) => {
          done('success');
          return value;
        },
        (error: unknown) => {
          done('failure');
          throw error;
        },
      );
    },
  }),
});
