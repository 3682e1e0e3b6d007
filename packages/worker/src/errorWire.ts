import { AiecsError, isAiecsError, type AiecsErrorJSON } from '@aiecs/core';
import type { WireError } from './messages';

/** Name of the carrier whose `cause` holds a non-AiecsError across the boundary; never seen by callers. */
const CARRIER_CODE = 'WORKER_ERROR_CARRIER';

/**
 * `error` as plain data for the other thread: an AiecsError by its `toJSON()` (class, code, kind,
 * message, stack, own fields, cause chain); another Error by the same format its causes use (name,
 * message, stack, `code`, primitive own fields, cause chain); a thrown string or number as it is.
 */
export function errorToWire(error: unknown): WireError {
  if (isAiecsError(error) && typeof error.toJSON === 'function') return { aiecs: error.toJSON() };
  if (typeof error !== 'object' || error === null)
    return { thrown: typeof error === 'symbol' || typeof error === 'function' ? String(error) : error };
  // An AiecsError serialises its cause in the error format `fromJSON` rebuilds: borrow that.
  const carried = new AiecsError(CARRIER_CODE, '', { cause: error }).toJSON().cause;
  return carried === undefined ? { thrown: String(error) } : { plain: carried };
}

/**
 * Rebuilds what {@link errorToWire} sent: an AiecsError as the class registered under its name
 * (`registerErrorClass`; the built-in ones are), a built-in Error (`TypeError`, …) as that class,
 * another Error as an `Error` with the same name, code, message, stack, fields and cause.
 */
export function errorFromWire(wire: WireError): unknown {
  if ('aiecs' in wire) return AiecsError.fromJSON(wire.aiecs);
  if ('plain' in wire) {
    const carrier: AiecsErrorJSON = { name: 'AiecsError', code: CARRIER_CODE, kind: 'internal', message: '', cause: wire.plain };
    return AiecsError.fromJSON(carrier).cause;
  }
  return wire.thrown;
}
