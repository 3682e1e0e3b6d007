import type { AiecsError } from './AiecsError';
import {
  defineData,
  PLAIN_RESERVED,
  RESERVED,
  type AiecsErrorJSON,
  type ErrorCauseJSON,
  type JsonValue,
  type PlainErrorJSON,
} from './errorJson';
import { isAiecsError } from './isAiecsError';

/** Errors being serialised right now: a cause already on this list is a cycle, and is left out. */
const serialising = new Set<object>();

/** `AiecsError#toJSON`. @internal */
export function errorToJSON(error: AiecsError): AiecsErrorJSON {
  serialising.add(error);
  try {
    const json: { -readonly [K in keyof AiecsErrorJSON]: AiecsErrorJSON[K] } = {
      name: String(error.name),
      code: String(error.code),
      kind: error.kind,
      message: String(error.message),
    };
    if (typeof error.stack === 'string') json.stack = error.stack;
    const cause = 'cause' in error ? causeToJSON(error.cause) : undefined;
    if (cause !== undefined) json.cause = cause;
    const fields = ownFields(error);
    if (fields !== undefined) json.fields = fields;
    return json;
  } finally {
    serialising.delete(error);
  }
}

function causeToJSON(cause: unknown): ErrorCauseJSON | undefined {
  if (typeof cause === 'object' && cause !== null && serialising.has(cause)) return undefined;
  if (isAiecsError(cause) && typeof cause.toJSON === 'function') return cause.toJSON();
  if (isErrorObject(cause)) return plainErrorToJSON(cause);
  return { name: 'NonError', message: safeString(cause) };
}

function plainErrorToJSON(error: Error): PlainErrorJSON {
  serialising.add(error);
  try {
    const json: Record<string, unknown> = { name: safeString(error.name ?? 'Error'), message: safeString(error.message) };
    if (typeof error.stack === 'string') json.stack = error.stack;
    const { code } = error as { code?: unknown };
    if (typeof code === 'string' || (typeof code === 'number' && Number.isFinite(code))) json.code = code;
    for (const key of Object.keys(error)) {
      if (PLAIN_RESERVED.has(key)) continue;
      const value = (error as unknown as Record<string, unknown>)[key];
      if (
        value === null ||
        typeof value === 'string' ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value))
      ) {
        defineData(json, key, value, true);
      }
    }
    if ('cause' in error) {
      const cause = causeToJSON(error.cause);
      if (cause !== undefined) json.cause = cause;
    }
    return json as PlainErrorJSON;
  } finally {
    serialising.delete(error);
  }
}

function ownFields(error: AiecsError): Record<string, JsonValue> | undefined {
  let fields: Record<string, JsonValue> | undefined;
  for (const key of Object.keys(error)) {
    if (RESERVED.has(key)) continue;
    const value = toJsonSafe((error as unknown as Record<string, unknown>)[key], [error]);
    if (value !== undefined) defineData((fields ??= {}), key, value, true);
  }
  return fields;
}

/**
 * `value` as plain JSON data: plain objects and arrays are copied, `toJSON` is honoured (a Date
 * becomes its ISO string), errors take their JSON form; what JSON would throw on, drop or mangle
 * (bigint, symbol, function, NaN, ±Infinity, Map, Set, class instances without `toJSON`) becomes
 * its `String()`, a circular reference `'[Circular]'`. `undefined` means "leave the property out".
 */
function toJsonSafe(value: unknown, ancestors: readonly object[]): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value !== 'object') return safeString(value);
  if (ancestors.includes(value)) return '[Circular]';
  const inner = [...ancestors, value];
  if (isAiecsError(value) || isErrorObject(value)) return (causeToJSON(value) ?? '[Circular]') as JsonValue;
  const { toJSON } = value as { toJSON?: unknown };
  if (typeof toJSON === 'function') {
    try {
      return toJsonSafe(toJSON.call(value), inner) ?? null;
    } catch {
      return safeString(value);
    }
  }
  if (Array.isArray(value)) return value.map((item: unknown) => toJsonSafe(item, inner) ?? null);
  if (!isPlainObject(value)) return safeString(value);
  const copy: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) {
    const item = toJsonSafe((value as Record<string, unknown>)[key], inner);
    if (item !== undefined) defineData(copy, key, item, true);
  }
  return copy;
}

/** A plain object of any realm (`structuredClone`, `vm` and Jest hand out objects from another one). */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** An Error of any realm (`instanceof Error` fails for errors made in another one). */
function isErrorObject(value: unknown): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
