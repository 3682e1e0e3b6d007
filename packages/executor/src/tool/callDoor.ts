/**
 * The checks at the pipeline's door: the input must be an object and the call options well-formed, each
 * option read once (a getter cannot pass the check with one value and hand the pipeline another).
 */
import type { CallOptions, FieldError } from '@aiecs/core';
import { AttemptContext } from '../pipeline/Call';

/** True for a non-array object; a revoked Proxy (whose `Array.isArray` throws) is `undefined`: unreadable. */
function isObject(value: unknown): boolean | undefined {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return !Array.isArray(value);
  } catch {
    return undefined;
  }
}

/** A re-entrant `super` call's context; false for anything else, a hostile Proxy included. */
export function isActiveAttempt(options: unknown, operation: string): boolean {
  if (typeof options !== 'object' || options === null) return false;
  try {
    return AttemptContext.isActive(options, operation);
  } catch {
    return false;
  }
}

/** The checked call options, or none when they are refused (for reporting who a refused call was for). */
export function checkedOrNone(options: unknown): CallOptions | undefined {
  const checked = options === undefined ? undefined : readCallOptions(options);
  return checked instanceof Refusal ? undefined : checked;
}

/** A non-object input is the caller's mistake: report it before anything runs. */
export function checkInput(input: unknown): FieldError | undefined {
  if (input === undefined) return undefined;
  const object = isObject(input);
  if (object === undefined) return { path: '', constraints: { isReadable: 'input could not be read (a revoked Proxy)' } };
  if (!object) {
    return { path: '', constraints: { isObject: `input must be an object of named arguments, got ${describeType(input)}` } };
  }
  return undefined;
}

/** Why the call options were refused. */
export class Refusal {
  constructor(readonly problem: FieldError) {}
}

const CONTEXT_FIELDS = '(userId, taskId, signal, deadlineMs, onProgress, toolCallId)';

function refuseOption(field: string, constraint: string, message: string): Refusal {
  return new Refusal({ path: field === '' ? '(context)' : `(context).${field}`, constraints: { [constraint]: message } });
}

/**
 * The caller's call options, each read once (a getter or a Proxy trap runs once, and cannot answer
 * differently later) and checked, copied into a plain object the pipeline reads instead; or why they
 * are refused. The common case (a plain object of strings) costs four reads, four `typeof` and one
 * small object.
 */
export function readCallOptions(options: unknown): CallOptions | Refusal {
  const object = isObject(options);
  if (object === undefined) return refuseOption('', 'isReadable', 'context could not be read (a revoked Proxy)');
  if (!object) return refuseOption('', 'isObject', `context must be an object ${CONTEXT_FIELDS}, got ${describeType(options)}`);
  const source = options as CallOptions;
  let field = 'userId';
  let userId: unknown, taskId: unknown, signal: unknown, deadlineMs: unknown, onProgress: unknown, toolCallId: unknown;
  try {
    userId = source.userId;
    field = 'taskId';
    taskId = source.taskId;
    field = 'signal';
    signal = source.signal;
    field = 'deadlineMs';
    deadlineMs = source.deadlineMs;
    field = 'onProgress';
    onProgress = source.onProgress;
    field = 'toolCallId';
    toolCallId = source.toolCallId;
  } catch (error) {
    return refuseOption(field, 'isReadable', `could not be read: ${describeError(error)}`);
  }
  if (userId !== undefined && typeof userId !== 'string')
    return refuseOption('userId', 'isString', `must be a string, got ${describeType(userId)}`);
  if (taskId !== undefined && typeof taskId !== 'string')
    return refuseOption('taskId', 'isString', `must be a string, got ${describeType(taskId)}`);
  if (signal !== undefined && !isAbortSignal(signal))
    return refuseOption('signal', 'isAbortSignal', `must be an AbortSignal, got ${describeType(signal)}`);
  if (deadlineMs !== undefined && !(typeof deadlineMs === 'number' && Number.isFinite(deadlineMs))) {
    return refuseOption('deadlineMs', 'isFinite', `must be a finite number (epoch ms), got ${describeValue(deadlineMs)}`);
  }
  if (toolCallId !== undefined && typeof toolCallId !== 'string')
    return refuseOption('toolCallId', 'isString', `must be a string, got ${describeType(toolCallId)}`);
  if (onProgress !== undefined && typeof onProgress !== 'function')
    return refuseOption('onProgress', 'isFunction', `must be a function, got ${describeType(onProgress)}`);
  return {
    userId: userId as string | undefined,
    taskId: taskId as string | undefined,
    signal: signal as AbortSignal | undefined,
    deadlineMs: deadlineMs as number | undefined,
    onProgress: onProgress as CallOptions['onProgress'],
    toolCallId: toolCallId as string | undefined,
  };
}

function isAbortSignal(value: unknown): boolean {
  try {
    return value instanceof AbortSignal;
  } catch {
    // A Proxy whose getPrototypeOf trap throws.
    return false;
  }
}

/** An operation name for errors and events, without running a hostile `toString`. */
export function operationName(operation: unknown): string {
  return typeof operation === 'string'
    ? operation
    : typeof operation === 'object' || typeof operation === 'function'
      ? `(${describeType(operation)})`
      : String(operation);
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? error.message : typeof error === 'object' && error !== null ? describeType(error) : String(error);
  } catch {
    return 'an unreadable error';
  }
}

function describeValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeType(value);
}

function describeType(value: unknown): string {
  try {
    return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  } catch {
    return typeof value;
  }
}
