import type { Middleware } from '../Invocation';

/** Rejects with `SecurityError` when a string of the input matches a security rule. */
export function sanitizeStage(check: (input: unknown) => void): Middleware {
  return (next) => (invocation) => {
    try {
      check(invocation.input);
    } catch (error) {
      return Promise.reject(error);
    }
    return next(invocation);
  };
}
