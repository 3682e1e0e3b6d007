import { isStandardSchema, type InputSchema, type ValidateOptions } from '@aiecs/core';
import { createInputValidator, createStandardValidator } from '@aiecs/validation';
import { conventionalSchema } from '../planning/conventionalSchema';
import { defineConcern } from './Concern';

/** The validator of `schema`: strict class validation, or the Standard Schema's own (sync or async). */
function validatorOf(schema: InputSchema, options: ValidateOptions, operation: string): (input: unknown) => unknown {
  return isStandardSchema(schema) ? createStandardValidator(schema, options, operation) : createInputValidator(schema, options, operation);
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
    const check = validatorOf(plan.schema, plan.options, site.operation);
    return {
      wrap: (next) => (call, input) => {
        let validated: unknown;
        try {
          validated = check(input);
        } catch (error) {
          return Promise.reject(error);
        }
        // An async Standard Schema: validation settles first (its rejection is the call's).
        if (validated instanceof Promise) return validated.then((value) => next(call, value));
        return next(call, validated);
      },
    };
  },
});
