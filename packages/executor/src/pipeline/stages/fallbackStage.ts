import { AbortedError, InputValidationError, SecurityError } from '@aiecs/core';
import type { Logger } from '../../logging/Logger';
import type { Middleware } from '../Invocation';

/**
 * Answers with the fallback (a value, or a function of the error) instead of a failure. The
 * caller's own mistakes and aborts are not replaced. It sits outside the cache store: a fallback is
 * never cached.
 */
export function fallbackStage(source: unknown, operation: string, logger: Logger): Middleware {
  const replace = (error: unknown): unknown => {
    if (error instanceof InputValidationError || error instanceof SecurityError || error instanceof AbortedError) throw error;
    logger.warn('operation failed; returning its fallback', { operation, error: String(error) });
    return typeof source === 'function' ? (source as (error: unknown) => unknown)(error) : source;
  };
  return (next) => (invocation) => next(invocation).then(undefined, replace);
}
