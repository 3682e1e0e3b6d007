import { performance } from 'node:perf_hooks';
import type { Logger } from '../../logging/Logger';
import { ExecutorMetrics, type OperationCounters } from '../../metrics/ExecutorMetrics';
import type { Middleware } from '../Invocation';

/** Times each attempt into the operation's metrics and logs it at debug level. */
export function measureStage(operation: string, counters: OperationCounters, logger: Logger): Middleware {
  return (next) => (invocation) => {
    const started = performance.now();
    const done = (): void => {
      const ms = performance.now() - started;
      ExecutorMetrics.recordDuration(counters, ms);
      logger.debug('operation timed', { operation, ms, attempt: invocation.scope?.current?.attempt });
    };
    return next(invocation).finally(done);
  };
}
