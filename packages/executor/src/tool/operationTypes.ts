import type { CallOptions } from '@aiecs/core';
import type { BaseTool } from '../BaseTool';
import type { Settled } from './mapWithConcurrency';

type AnyFunction = (...args: any[]) => any;

/** Names of the operations of tool type `T`: its public methods, minus `_`-prefixed ones and BaseTool's own. */
export type OperationName<T> = {
  [K in keyof T]-?: K extends string ? (K extends `_${string}` | keyof BaseTool ? never : T[K] extends AnyFunction ? K : never) : never;
}[keyof T];

type IfEquals<X, Y, A, B> = (<G>() => G extends X ? 1 : 2) extends <G>() => G extends Y ? 1 : 2 ? A : B;
/** Keys of `T` that are data (not methods). */
type DataKeys<T> = { [K in keyof T]-?: T[K] extends AnyFunction ? never : K }[keyof T];
/** Data keys that are `readonly` — getters among them: they are never required of a caller. */
type ReadonlyKeys<T> = { [K in keyof T]-?: IfEquals<{ [Q in K]: T[K] }, { -readonly [Q in K]: T[K] }, never, K> }[keyof T];
type Flatten<T> = { [K in keyof T]: T[K] } & {};

/**
 * What a caller sends for a declared input type: plain data. Methods of a schema class are not input;
 * getters (and other `readonly` members) may be sent but are never required; a `Date` field (declared
 * with `@Type(() => Date)`) accepts a `Date`, an ISO string or epoch milliseconds, as the runtime does.
 */
export type PlainInput<T> = T extends Date
  ? Date | string | number
  : T extends string | number | boolean | bigint | symbol | null | undefined
    ? T
    : T extends readonly (infer E)[]
      ? PlainInput<E>[]
      : T extends AnyFunction
        ? never
        : T extends object
          ? Flatten<
              { [K in keyof T as K extends Exclude<DataKeys<T>, ReadonlyKeys<T>> ? K : never]: PlainInput<T[K]> } & {
                [K in keyof T as K extends Extract<DataKeys<T>, ReadonlyKeys<T>> ? K : never]?: PlainInput<T[K]>;
              }
            >
          : T;

/**
 * Input of operation `K` of `T` as callers send it: the plain form of the method's first parameter.
 * An operation without a parameter takes nothing (or `{}`); an untyped parameter takes any object.
 */
export type OperationInput<T, K extends keyof T> = T[K] extends (...args: infer P) => any
  ? P extends []
    ? Record<string, never> | undefined
    : unknown extends P[0]
      ? Record<string, unknown> | undefined
      : PlainInput<P[0]>
  : never;

/** Arguments of `run(operation, …)`: the input (optional when the operation accepts none) and call options. */
export type RunArgs<T, K extends keyof T> =
  undefined extends OperationInput<T, K>
    ? [input?: OperationInput<T, K>, context?: CallOptions]
    : [input: OperationInput<T, K>, context?: CallOptions];

/** Resolved result of operation `K` of `T`. */
export type OperationResult<T, K extends keyof T> = T[K] extends (...args: any[]) => infer R ? Awaited<R> : never;

/** One item of `runBatch`: an operation, its input, and an optional context. */
export type BatchItem<T> = {
  [K in OperationName<T>]:
    | { readonly op: K; readonly input?: OperationInput<T, K>; readonly context?: CallOptions }
    // The seed's item shape: `{ op, kwargs }`.
    | { readonly op: K; readonly kwargs: OperationInput<T, K>; readonly context?: CallOptions };
}[OperationName<T>];

/** Result of one batch item: the result type of the operation it names. */
export type BatchItemResult<T, I> = I extends { readonly op: infer K extends OperationName<T> } ? OperationResult<T, K> : unknown;

/** Results of `runBatch(items)`, item by item. */
export type BatchResults<T, I extends readonly unknown[]> = { -readonly [N in keyof I]: BatchItemResult<T, I[N]> };

/** Results of `runBatch(items, { settle: true })`, item by item. */
export type SettledBatchResults<T, I extends readonly unknown[]> = { -readonly [N in keyof I]: Settled<BatchItemResult<T, I[N]>> };

/** Options of `runBatch`. */
export interface BatchOptions {
  /** Operations in flight at once (default: the tool's `ioConcurrency`). */
  readonly concurrency?: number;
  /** Return one `{ status, value | reason }` per item instead of rejecting on the first failure. */
  readonly settle?: boolean;
}
