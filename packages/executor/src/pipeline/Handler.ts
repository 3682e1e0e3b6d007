import type { Call } from './Call';

/**
 * The rest of the pipeline from one stage inward. A stage passes the call on unchanged and the input
 * it wants the next stage to see (validation hands on the schema instance), as tRPC's `next({ input })`
 * does. Never throws synchronously.
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
