import type { CallEndedEvent, ToolEventBase, ToolEventListener } from '../events/ToolEvents';
import { levelEnabled, type Logger } from './Logger';

/** What the log subscriber reads from the configuration. */
export interface LogListenerOptions {
  /** `logExecutionTime` (`TOOL_EXECUTOR_LOG_EXECUTION_TIME`): every call's line at info, with its duration. */
  readonly logExecutionTime?: boolean;
}

/** The fields every line carries. Input and output values are never logged (events do not carry them). */
function where(event: ToolEventBase): Record<string, unknown> {
  return { tool: event.tool, operation: event.operation, userId: event.userId, taskId: event.taskId, attempt: event.attempt };
}

/** A call's line: where, what the cache did, how it ended, and its duration when it was timed. */
function callFields(e: CallEndedEvent): Record<string, unknown> {
  const fields = where(e);
  if (!Number.isNaN(e.durationMs)) fields.durationMs = Math.round(e.durationMs * 1000) / 1000;
  if (e.cache !== undefined) fields.cache = e.cache;
  fields.outcome = e.outcome;
  if (e.outcome === 'failure') {
    fields.errorCode = e.errorCode;
    fields.errorKind = e.errorKind;
  }
  return fields;
}

/**
 * The runtime's log subscriber: one line per notable event, with structured fields, and one per call.
 * A call's line (`tool call succeeded` / `tool call failed`) carries tool, operation, user, task,
 * attempts, duration, cache outcome and, on failure, the error code and kind. Successes are `debug`
 * (`info` with `logExecutionTime`); failures `warn`, or `info` for the caller's own errors (bad input, an
 * unknown operation, its abort). Lines the logger would drop are not built. Calls are timed for it only
 * when it would log their duration (debug enabled, or `logExecutionTime`).
 */
export function logListener(logger: Logger, options: LogListenerOptions = {}): ToolEventListener {
  const successLevel = options.logExecutionTime === true ? 'info' : 'debug';
  return {
    timings: options.logExecutionTime === true || levelEnabled(logger, 'debug'),
    callEnded: (e) => {
      if (e.outcome === 'success') {
        if (levelEnabled(logger, successLevel)) logger[successLevel]('tool call succeeded', callFields(e));
        return;
      }
      const level = e.errorKind === 'caller' ? 'info' : 'warn';
      if (levelEnabled(logger, level)) logger[level]('tool call failed', callFields(e));
    },
    retry: (e) => logger.info('retrying operation', { ...where(e), delayMs: Math.round(e.delayMs), error: String(e.error) }),
    timeout: (e) => logger.info('deadline passed', { ...where(e), scope: e.scope, timeoutMs: e.timeoutMs }),
    fallbackUsed: (e) => logger.warn('operation failed; returning its fallback', { ...where(e), error: String(e.error) }),
    cacheError: (e) =>
      void (
        e.firstInOutage &&
        logger.warn(`cache ${e.action} is failing; calls go on as cache misses (logged once until the cache recovers)`, {
          ...where(e),
          error: String(e.error),
        })
      ),
    circuitStateChanged: (e) => logger.warn(`circuit ${e.state}`, { ...where(e), previous: e.previous }),
    bulkheadRejected: (e) => logger.warn('bulkhead full; call refused', { ...where(e), limit: e.limit, queue: e.queue }),
    attemptMeasured: (e) => logger.debug('operation timed', { ...where(e), ms: e.durationMs, outcome: e.outcome }),
  };
}
