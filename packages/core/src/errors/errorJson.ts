import type { ErrorKind } from './errorKind';

/** A value that `JSON.stringify` and `structuredClone` both carry unchanged. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A JSON-safe primitive, as kept from the own properties of an error that is not an `AiecsError`. */
export type JsonPrimitive = string | number | boolean | null;

/**
 * JSON form of a cause that is not an `AiecsError`: `name`, `message`, `stack`, `code` and the
 * error's other own enumerable primitive properties (`errno`, `syscall`, `status`, …), plus its
 * own cause. A thrown non-error becomes `{ name: 'NonError', message: String(value) }`.
 */
export interface PlainErrorJSON {
  /** The error's `name` (`'Error'`, `'TypeError'`, …; `'NonError'` for a thrown non-error). */
  readonly name: string;
  /** The error's `message`. */
  readonly message: string;
  /** The error's `stack`, when it had one. */
  readonly stack?: string;
  /** The error's `code` (`'ECONNRESET'`, …), when it is a string or a number. */
  readonly code?: string | number;
  /** The error's own `cause`, serialised the same way. */
  readonly cause?: ErrorCauseJSON;
  /** Other own enumerable primitive properties of the error. */
  readonly [prop: string]: JsonPrimitive | ErrorCauseJSON | undefined;
}

/** JSON form of a cause: an {@link AiecsErrorJSON} for an `AiecsError`, a {@link PlainErrorJSON} otherwise. */
export type ErrorCauseJSON = AiecsErrorJSON | PlainErrorJSON;

/**
 * JSON form of an `AiecsError` (`AiecsError#toJSON`, read back by `AiecsError.fromJSON`): plain
 * data, safe for `JSON.stringify` and `structuredClone`, so an error can cross a worker, process
 * or HTTP boundary and come back as the same class.
 */
export interface AiecsErrorJSON {
  /** Class name; `fromJSON` looks the class up by it (see `registerErrorClass`). */
  readonly name: string;
  /** The error's stable `code`. */
  readonly code: string;
  /** The error's {@link ErrorKind}. */
  readonly kind: ErrorKind;
  /** The error's `message`. */
  readonly message: string;
  /** The error's `stack`, when it had one. */
  readonly stack?: string;
  /** The serialised `cause`, when the error had one. */
  readonly cause?: ErrorCauseJSON;
  /**
   * The subclass's own data (`tool`, `operation`, `errors`, `timeoutMs`, …): every own enumerable
   * property but name, code, kind, message, stack and cause, made JSON-safe; `undefined` ones are left out.
   */
  readonly fields?: { readonly [field: string]: JsonValue };
}

/** Properties with a slot of their own in the JSON form; never copied as fields. @internal */
export const RESERVED: ReadonlySet<string> = new Set(['name', 'code', 'kind', 'message', 'stack', 'cause']);

/** Own properties of a plain error with a slot of their own in its JSON form. @internal */
export const PLAIN_RESERVED: ReadonlySet<string> = new Set(['name', 'code', 'message', 'stack', 'cause']);

/** Own writable, configurable data property; `defineProperty` so a key like `__proto__` stays a plain key. @internal */
export function defineData(target: object, key: string, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}
