import type { CallOptions } from '@aiecs/core';
import type { CallScope } from '../context/CallScope';

/** One call travelling through the pipeline. Stages may replace `input` (validation) and set `cacheKey`/`scope`. */
export interface Invocation {
  /** The tool instance (`this` of the method). */
  readonly tool: object;
  /** The user's method. */
  readonly method: (this: object, input: unknown, context: unknown) => unknown;
  /** Raw input at first; the validated instance after the validate stage. */
  input: unknown;
  /** What the caller passed as context. */
  readonly options: CallOptions | undefined;
  /** Set by the cache lookup stage on a miss, for the store and single-flight stages. */
  cacheKey: string | undefined;
  /** Created by the scope stage; attempts and timeouts share it. */
  scope: CallScope | undefined;
}

/** A step of the pipeline and everything inside it. Never throws synchronously. */
export type Handler = (invocation: Invocation) => Promise<unknown>;

/** A concern: wraps the rest of the pipeline. */
export type Middleware = (next: Handler) => Handler;

/** Runs `fn` and turns a synchronous throw into a rejection, so stages can rely on promises. */
export function settle<T>(fn: () => T | PromiseLike<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}
