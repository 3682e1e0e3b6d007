import type { Logger } from '../../logging/Logger';
import type { OperationCounters } from '../../metrics/ExecutorMetrics';
import { retryWithBackoff, type RetrySettings } from '../../policies/retryWithBackoff';
import type { Middleware } from '../Invocation';

/** Retries failed attempts with backoff; each retry is counted and logged with operation, attempt and error. */
export function retryStage(settings: RetrySettings, operation: string, counters: OperationCounters, logger: Logger): Middleware {
  const onRetry = (error: unknown, attempt: number, delayMs: number): void => {
    counters.retries++;
    logger.info('retrying operation', { operation, attempt, delayMs: Math.round(delayMs), error: String(error) });
  };
  return (next) => (invocation) => retryWithBackoff(() => next(invocation), invocation.scope!, settings, onRetry);
}
