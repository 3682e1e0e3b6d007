import type { ToolEventBase, ToolEventListener } from '../events/ToolEvents';
import type { Logger } from './Logger';

/** The fields every line carries. Input and output values are never logged. */
function where(event: ToolEventBase): Record<string, unknown> {
  return { tool: event.tool, operation: event.operation, userId: event.userId, taskId: event.taskId, attempt: event.attempt };
}

/** The runtime's log subscriber: one line per notable event, with structured fields. */
export function logListener(logger: Logger): ToolEventListener {
  return {
    retry: (e) => logger.info('retrying operation', { ...where(e), delayMs: Math.round(e.delayMs), error: String(e.error) }),
    timeout: (e) => logger.info('deadline passed', { ...where(e), scope: e.scope, timeoutMs: e.timeoutMs }),
    fallbackUsed: (e) => logger.warn('operation failed; returning its fallback', { ...where(e), error: String(e.error) }),
    cacheError: (e) => void (e.firstInOutage && logger.warn(`cache ${e.action} is failing; calls go on as cache misses (logged once until the cache recovers)`, { ...where(e), error: String(e.error) })),
    circuitStateChanged: (e) => logger.warn(`circuit ${e.state}`, { ...where(e), previous: e.previous }),
    bulkheadRejected: (e) => logger.warn('bulkhead full; call refused', { ...where(e), limit: e.limit, queue: e.queue }),
    attemptMeasured: (e) => logger.debug('operation timed', { ...where(e), ms: e.durationMs, outcome: e.outcome }),
  };
}
