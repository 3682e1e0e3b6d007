import type { Middleware } from '../Invocation';

/** Replaces the raw input by the validated schema instance; a failure rejects with `InputValidationError`. */
export function validateStage(validate: (input: unknown) => object): Middleware {
  return (next) => (invocation) => {
    try {
      invocation.input = validate(invocation.input);
    } catch (error) {
      return Promise.reject(error);
    }
    return next(invocation);
  };
}
