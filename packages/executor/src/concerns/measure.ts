import { performance } from 'node:perf_hooks';
import type { Call } from '../pipeline/Call';
import { defineConcern } from './Concern';

/** `@MeasureTime` (or `logExecutionTime`): times each attempt and reports it as an `attemptMeasured` event. */
export const measure = defineConcern({
  name: 'measure',
  reads: ['measure'],
  configKeys: [],
  plan: ({ declared, config }) => (declared.measure === true || config.logExecutionTime ? {} : undefined),
  create: (_plan, { site, events }) => ({
    wrap: (next) => (call: Call, input: unknown) => {
      const started = performance.now();
      const done = (outcome: 'success' | 'failure'): void =>
        events.emit('attemptMeasured', {
          tool: site.tool,
          operation: site.operation,
          userId: call.userId,
          taskId: call.taskId,
          attempt: call.attempt,
          durationMs: performance.now() - started,
          outcome,
        });
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
