import type { PreparedToolCall } from '@aiecs/tool-definitions';
import type { CallToolResult, RequestId } from '@modelcontextprotocol/server';

interface Kept {
  readonly name: string;
  readonly prepared: PreparedToolCall<CallToolResult>;
}

/**
 * Calls prepared when their request arrived (the cache missed), handed to the SDK's handler for the
 * same request so the key is computed once. An entry is kept before the request goes to the SDK,
 * which then queues its handler as the next microtask job; the entry is dropped one job later, taken
 * or not (the SDK may have refused the request), so none outlives its request. Were the SDK ever to
 * call the handler later, the handler would find nothing and prepare the call itself: slower, never
 * wrong.
 */
export class PreparedCalls {
  private readonly kept = new Map<RequestId, Kept>();

  /** Keeps `prepared` for the handler of request `id`, for the microtask jobs queued next. */
  keep(id: RequestId, name: string, prepared: PreparedToolCall<CallToolResult>): void {
    const entry = { name, prepared };
    this.kept.set(id, entry);
    // Two hops: the first job runs before the SDK's (queued after this), the second after it.
    queueMicrotask(() =>
      queueMicrotask(() => {
        if (this.kept.get(id) === entry) this.kept.delete(id);
      }),
    );
  }

  /** The call prepared for request `id` of tool `name`, once. */
  take(id: RequestId, name: string): PreparedToolCall<CallToolResult> | undefined {
    const entry = this.kept.get(id);
    if (entry === undefined || entry.name !== name) return undefined;
    this.kept.delete(id);
    return entry.prepared;
  }
}
