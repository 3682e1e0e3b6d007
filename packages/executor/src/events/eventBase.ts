import type { ToolEventBase } from '../events/ToolEvents';
import type { Call } from '../pipeline/Call';

/** An event's base plus how long something took and how it ended. */
export function timedEvent(
  call: Call,
  durationMs: number,
  outcome: 'success' | 'failure',
): ToolEventBase & { durationMs: number; outcome: 'success' | 'failure' } {
  return {
    tool: call.site.tool,
    operation: call.site.operation,
    userId: call.userId,
    taskId: call.taskId,
    attempt: call.attempt,
    durationMs,
    outcome,
  };
}

/** The fields every event carries, copied from the call (listeners never hold the call itself). */
export function eventBase(call: Call): ToolEventBase {
  return { tool: call.site.tool, operation: call.site.operation, userId: call.userId, taskId: call.taskId, attempt: call.attempt };
}
