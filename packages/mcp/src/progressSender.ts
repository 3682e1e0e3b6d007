import type { ProgressReport } from '@aiecs/core';
import type { ProgressToken, ServerNotification } from '@modelcontextprotocol/server';

/** A progress listener for one call, and the switch that stops it once the call has answered. */
export interface ProgressSender {
  readonly onProgress: (report: ProgressReport) => void;
  /** Stops sending, and settles when the notifications already sent have been handed to the transport (so none trails the result). */
  finish(): Promise<void>;
}

/**
 * Sends `ctx.reportProgress(…)` reports as `notifications/progress` for the client's `progressToken`,
 * through `notify` (the request's: `ctx.mcpReq.notify` on the SDK's path).
 * MCP requires `progress` to increase: a report that does not (or is not a finite number) is dropped,
 * as is anything reported after the call answered. A failing send never fails the call.
 */
export function progressSender(notify: (notification: ServerNotification) => Promise<void>, progressToken: ProgressToken): ProgressSender {
  let last = -Infinity;
  let finished = false;
  let sent: Promise<void> = Promise.resolve();
  return {
    finish: () => {
      finished = true;
      return sent;
    },
    onProgress: ({ progress, total, message }) => {
      if (finished || typeof progress !== 'number' || !Number.isFinite(progress) || progress <= last) return;
      last = progress;
      const params = {
        progressToken,
        progress,
        ...(typeof total === 'number' && Number.isFinite(total) ? { total } : {}),
        ...(typeof message === 'string' ? { message } : {}),
      };
      const sending = notify({ method: 'notifications/progress', params }).catch(() => undefined);
      sent = Promise.all([sent, sending]).then(() => undefined);
    },
  };
}
