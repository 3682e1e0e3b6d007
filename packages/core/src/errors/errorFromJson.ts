import type { AiecsError } from './AiecsError';
import { isErrorKind } from './errorKind';
import { defineData, PLAIN_RESERVED, RESERVED, type AiecsErrorJSON } from './errorJson';
import { registeredErrorClass, type AiecsErrorClass } from './errorRegistry';

/** `AiecsError.fromJSON`: `fallback` is the class used for a name that is not registered. @internal */
export function errorFromJSON(json: AiecsErrorJSON, fallback: AiecsErrorClass): AiecsError {
  return rebuildAiecsError(json, fallback, new Set());
}

function rebuildAiecsError(json: unknown, fallback: AiecsErrorClass, seen: Set<object>): AiecsError {
  if (typeof json !== 'object' || json === null) {
    throw new TypeError(`AiecsError.fromJSON: expected an AiecsErrorJSON object, got ${describe(json)}`);
  }
  if (seen.has(json)) throw new TypeError('AiecsError.fromJSON: the cause chain is circular');
  seen.add(json);
  const { name = 'AiecsError', code, kind, message, stack, cause, fields } = json as Record<string, unknown>;
  if (typeof code !== 'string') throw new TypeError(`AiecsError.fromJSON: 'code' must be a string, got ${describe(code)}`);
  if (typeof message !== 'string') throw new TypeError(`AiecsError.fromJSON: 'message' must be a string, got ${describe(message)}`);
  if (typeof name !== 'string') throw new TypeError(`AiecsError.fromJSON: 'name' must be a string, got ${describe(name)}`);
  if (fields !== undefined && (typeof fields !== 'object' || fields === null || Array.isArray(fields))) {
    throw new TypeError(`AiecsError.fromJSON: 'fields' must be an object, got ${describe(fields)}`);
  }

  const cls = registeredErrorClass(name) ?? fallback;
  // Not the constructor (subclass signatures differ): a real Error object with the class's prototype.
  const error = Reflect.construct(Error, [message], cls) as AiecsError;
  defineData(error, 'code', code, true);
  defineData(error, 'kind', isErrorKind(kind) ? kind : cls.defaultKind, true);
  defineData(error, 'name', name, true);
  setStack(error, stack);
  if (fields !== undefined) {
    for (const key of Object.keys(fields)) {
      // Never let data shadow the reserved slots or a method (`toJSON`, `toString`, …).
      if (RESERVED.has(key) || typeof (error as unknown as Record<string, unknown>)[key] === 'function') continue;
      defineData(error, key, (fields as Record<string, unknown>)[key], true);
    }
  }
  if (cause !== undefined) defineData(error, 'cause', rebuildCause(cause, fallback, seen), false);
  return error;
}

const STANDARD_ERRORS: ReadonlyMap<string, ErrorConstructor> = new Map<string, ErrorConstructor>([
  ['Error', Error],
  ['TypeError', TypeError],
  ['RangeError', RangeError],
  ['SyntaxError', SyntaxError],
  ['ReferenceError', ReferenceError],
  ['EvalError', EvalError],
  ['URIError', URIError],
]);

function rebuildCause(json: unknown, fallback: AiecsErrorClass, seen: Set<object>): Error {
  if (typeof json !== 'object' || json === null) {
    throw new TypeError(`AiecsError.fromJSON: 'cause' must be an error JSON object, got ${describe(json)}`);
  }
  const data = json as Record<string, unknown>;
  if (isErrorKind(data.kind) && typeof data.code === 'string') return rebuildAiecsError(json, fallback, seen);
  if (seen.has(json)) throw new TypeError('AiecsError.fromJSON: the cause chain is circular');
  seen.add(json);
  const { name, message, stack, code, cause } = data;
  if (typeof message !== 'string') {
    throw new TypeError(`AiecsError.fromJSON: a cause's 'message' must be a string, got ${describe(message)}`);
  }
  const standard = typeof name === 'string' ? STANDARD_ERRORS.get(name) : Error;
  const error = new (standard ?? Error)(message);
  if (standard === undefined) defineData(error, 'name', name, true);
  setStack(error, stack);
  if (typeof code === 'string' || typeof code === 'number') defineData(error, 'code', code, true);
  for (const key of Object.keys(data)) {
    if (PLAIN_RESERVED.has(key)) continue;
    const value = data[key];
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      defineData(error, key, value, true);
    }
  }
  if (cause !== undefined) defineData(error, 'cause', rebuildCause(cause, fallback, seen), false);
  return error;
}

function setStack(error: Error, stack: unknown): void {
  if (typeof stack === 'string') defineData(error, 'stack', stack, false);
  else delete error.stack;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
