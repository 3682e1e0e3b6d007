import type { RequestId } from '@modelcontextprotocol/server';

/** The abort signal of one call that a closed HTTP request can stop, and its release once the call answered. */
export interface CallAbort {
  readonly signal: AbortSignal;
  release(): void;
}

/**
 * Calls that arrived on an HTTP request, by session and JSON-RPC id, so that the request's connection
 * closing before its answer was written aborts them (the SDK aborts a call on `notifications/cancelled`
 * or when the whole session closes, not when one request's connection drops).
 */
export class RequestAborts {
  private readonly running = new Map<string, AbortController>();
  /** Requests whose connection closed before their call registered (a disconnect right after the POST). */
  private readonly closedEarly = new Set<string>();

  private static key(sessionId: string, id: RequestId): string {
    return `${sessionId}\u0000${String(id)}`;
  }

  /** Registers a call; its signal aborts if its request's connection closes before the answer. */
  open(sessionId: string, id: RequestId): CallAbort {
    const key = RequestAborts.key(sessionId, id);
    const controller = new AbortController();
    if (this.closedEarly.delete(key)) controller.abort(new Error('the HTTP request was closed before the call answered'));
    this.running.set(key, controller);
    return { signal: controller.signal, release: () => void (this.running.get(key) === controller && this.running.delete(key)) };
  }

  /** The connection of a request carrying these call ids closed before its answer was written. */
  closed(sessionId: string, ids: readonly RequestId[]): void {
    for (const id of ids) {
      const key = RequestAborts.key(sessionId, id);
      const controller = this.running.get(key);
      if (controller === undefined) this.closedEarly.add(key);
      else controller.abort(new Error('the HTTP request was closed before the call answered'));
    }
  }

  /** Forgets an early close that no call claimed (the request was refused before dispatch). */
  forget(sessionId: string, ids: readonly RequestId[]): void {
    for (const id of ids) this.closedEarly.delete(RequestAborts.key(sessionId, id));
  }
}
