import { isStandardSchema } from '@aiecs/core';
import { createInputValidator, createStandardValidator } from '@aiecs/validation';
import type { Middleware } from '../pipeline/Handler';
import { conventionalSchema } from '../planning/conventionalSchema';
import { defineConcern } from './Concern';

/** The stage around a synchronous check: a throw rejects the call, and `next` gets the validated value. */
function validating(check: (input: unknown) => unknown): Middleware {
  return (next) => (call, input) => {
    let validated: unknown;
    try {
      validated = check(input);
    } catch (error) {
      return Promise.reject(error);
    }
    return next(call, validated);
  };
}

/** As `validating`, for a Standard Schema whose validation may be async: a Promise settles before `next`. */
function validatingMaybeAsync(check: (input: unknown) => unknown): Middleware {
  const sync = validating(check);
  return (next) => {
    const afterValidation: typeof next = (call, validated) =>
      validated instanceof Promise ? validated.then((value) => next(call, value)) : next(call, validated);
    return sync(afterValidation);
  };
}

/**
 * `@ValidateInput` (or a conventional `<Op>Schema`): the next stages see the validated value — the
 * schema class's instance, or a Standard Schema's output.
 */
export const validate = defineConcern({
  name: 'validate',
  reads: ['validate'],
  configKeys: [],
  plan: ({ declared, toolClass, site }) => declared.validate ?? conventionalSchema(toolClass, site.operation),
  create: (plan, { site }) => {
    const { schema, options } = plan;
    if (isStandardSchema(schema)) return { wrap: validatingMaybeAsync(createStandardValidator(schema, options, site.operation)) };
    return { wrap: validating(createInputValidator(schema, options, site.operation)) };
  },
});
