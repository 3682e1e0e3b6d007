import type { AiecsError, OperationSite } from '@aiecs/core';
import { toCallerError } from '../concerns/instrument';
import type { EventBus } from './EventBus';
import type { ToolEventBase } from './ToolEvents';

/** Who a refused call was for: the caller's ids when they could be read, the defaults otherwise. */
export interface RefusedCaller {
  readonly userId: string;
  readonly taskId: string;
  readonly toolCallId?: string;
}

/**
 * Reports a call the door refused before its pipeline ran (closed tool, unknown operation, input that
 * is not an object, bad call options) as `instrument` reports every other call: `callStarted` (when
 * listened to), then `callEnded` with outcome `failure`, the caller's error code and kind, attempt 0.
 * So metrics and listeners count every call (`requests = successes + failures`). Returns the error the
 * caller receives (mapped as `instrument` maps errors).
 */
export function reportRefusal(events: EventBus, site: OperationSite, caller: RefusedCaller, error: unknown): AiecsError {
  const callerError = toCallerError(site, error);
  const { userId, taskId, toolCallId } = caller;
  const base: ToolEventBase = { tool: site.tool, operation: site.operation, userId, taskId, attempt: 0, toolCallId };
  const report = (): void => {
    if (events.wants('callStarted')) events.emit('callStarted', base);
    // Refused at once: nothing ran, so it took no time.
    events.emit('callEnded', { ...base, durationMs: 0, outcome: 'failure', errorCode: callerError.code, errorKind: callerError.kind });
  };
  // Inside the tracers' scopes, as every other call: a refused call gets its span too.
  if (events.wantsScopes()) void events.runInScopes(base, () => Promise.resolve(report()));
  else report();
  return callerError;
}
