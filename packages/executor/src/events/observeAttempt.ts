import { errorKind, isAiecsError } from '@aiecs/core';
import type { Call } from '../pipeline/Call';
import { eventBase, failedAttemptEvent, timedEvent } from './eventBase';
import type { EventBus } from './EventBus';

/**
 * The type of what an attempt threw, as tracers' `error.type` and metrics' labels want it (low
 * cardinality, no message): the error's `code` when it is a string (`TIMEOUT`, `ENOENT`, `ECONNRESET`),
 * else its class name (`TypeError`), else `typeof` the value (`null` for null).
 */
export function errorTypeOf(error: unknown): string {
  if (isAiecsError(error)) return error.code;
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '') return name;
  }
  return error === null ? 'null' : typeof error;
}

/**
 * Runs one attempt (`run` starts the method body), reporting `attemptStarted` and `attemptEnded` to
 * whoever listens. The stage calls it only when some listener wants either event, so an attempt nobody
 * watches is not timed.
 */
export function observeAttempt(events: EventBus, call: Call, run: () => Promise<unknown>): Promise<unknown> {
  if (events.wants('attemptStarted')) events.emit('attemptStarted', eventBase(call));
  const started = performance.now();
  return run().then(
    (value) => {
      if (events.wants('attemptEnded')) events.emit('attemptEnded', timedEvent(call, performance.now() - started, 'success'));
      return value;
    },
    (error: unknown) => {
      if (events.wants('attemptEnded')) {
        events.emit('attemptEnded', failedAttemptEvent(call, performance.now() - started, errorTypeOf(error), errorKind(error)));
      }
      throw error;
    },
  );
}
