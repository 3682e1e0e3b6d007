import type { Call } from './Call';

/**
 * The rest of the pipeline from one stage inward. A stage passes the call on unchanged and the input
 * it wants the next stage to see (validation hands on the schema instance), as tRPC's `next({ input })`
 * does. Never throws synchronously.
 *
 * A stage that knows the answer at once (`cacheLookup` on a hit in a synchronous store) returns it
 * through `call.answerNow(value)`: a resolved promise, as always, and `call.answered` set, so the
 * stages above it (`outputScreen`, `instrument`) can finish the call without waiting a turn for that
 * promise. A stage that ignores `answered` still gets the right value from the promise; one that
 * changes the answer (`outputScreen` wrapping it) answers again with `answerNow`, or clears `answered`
 * when it turns the answer into a rejection. On a hit this saves an async frame and a microtask turn,
 * about a tenth of the hit (measured with the bench's realistic hit row).
 */
export type Handler = (call: Call, input: unknown) => Promise<unknown>;

/** A concern's stage: wraps the rest of the pipeline; built once per operation. */
export type Middleware = (next: Handler) => Handler;

/** Runs `fn` and turns a synchronous throw into a rejection, so stages can rely on promises. */
export function settle<T>(fn: () => T | PromiseLike<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}
