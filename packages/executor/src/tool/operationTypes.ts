import type { CallOptions } from '@aiecs/core';
import type { BaseTool } from '../BaseTool';

type AnyFunction = (...args: any[]) => any;

/** Names of the operations of tool type `T`: its public methods, minus `_`-prefixed ones and BaseTool's own. */
export type OperationName<T> = {
  [K in keyof T]-?: K extends string
    ? K extends `_${string}` | keyof BaseTool
      ? never
      : T[K] extends AnyFunction
        ? K
        : never
    : never;
}[keyof T];

/** Input of operation `K` of `T`: the method's first parameter (a plain object of the schema's shape). */
export type OperationInput<T, K extends keyof T> = T[K] extends (input: infer I, ...rest: any[]) => any
  ? unknown extends I
    ? Record<string, unknown> | undefined
    : I
  : never;

/** Resolved result of operation `K` of `T`. */
export type OperationResult<T, K extends keyof T> = T[K] extends (...args: any[]) => infer R ? Awaited<R> : never;

/** One item of `runBatch`: an operation, its input, and an optional context. */
export type BatchItem<T> = {
  [K in OperationName<T>]:
    | { readonly op: K; readonly input: OperationInput<T, K>; readonly context?: CallOptions }
    // The seed's item shape: `{ op, kwargs }`.
    | { readonly op: K; readonly kwargs: OperationInput<T, K>; readonly context?: CallOptions };
}[OperationName<T>];

/** Options of `runBatch`. */
export interface BatchOptions {
  /** Operations in flight at once (default: the tool's `ioConcurrency`). */
  readonly concurrency?: number;
  /** Return one `{ status, value | reason }` per item instead of rejecting on the first failure. */
  readonly settle?: boolean;
}
