import { errorKind, isAiecsError, ToolExecutionError, type AiecsError, type OperationSite } from '@aiecs/core';
import { eventBase, timedEvent } from '../events/eventBase';
import type { Call } from '../pipeline/Call';
import { defineConcern } from './Concern';

/** Wraps a method's own error so the caller learns which tool and operation failed; the original is `cause`. */
export function toCallerError(site: OperationSite, error: unknown): AiecsError {
  // The framework's own errors (validation, security, timeout, abort, circuit, …) reach the caller as they are.
  // Recognised by brand, not `instanceof`: an error from another copy of @aiecs/core is still ours.
  if (isAiecsError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ToolExecutionError(site, reason, { cause: error, kind: errorKind(error) });
}

/** Outermost: reports every call (hits included) as it starts and ends, and maps errors for the caller. */
export const instrument = defineConcern({
  name: 'instrument',
  reads: [],
  configKeys: [],
  plan: () => ({}),
  create: (_plan, { site, events }) => {
    const ended = (call: Call, started: number, error: AiecsError | undefined): void => {
      if (error === undefined) events.emit('callEnded', timedEvent(call, started, 'success'));
      else events.emit('callEnded', { ...timedEvent(call, started, 'failure'), errorCode: error.code, errorKind: error.kind });
    };
    return {
      wrap: (next) => (call, input) => {
        if (events.wants('callStarted')) events.emit('callStarted', eventBase(call));
        const started = performance.now();
        return next(call, input).then(
          (value) => {
            ended(call, started, undefined);
            return value;
          },
          (error: unknown) => {
            const callerError = toCallerError(site, error);
            ended(call, started, callerError);
            throw callerError;
          },
        );
      },
    };
  },
});
