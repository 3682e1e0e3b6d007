import { createInputValidator } from '@aiecs/validation';
import { conventionalSchema } from '../planning/conventionalSchema';
import { defineConcern } from './Concern';

/** `@ValidateInput` (or a conventional `<Op>Schema`): the next stages see the validated schema instance. */
export const validate = defineConcern({
  name: 'validate',
  reads: ['validate'],
  configKeys: [],
  plan: ({ declared, toolClass, site }) => declared.validate ?? conventionalSchema(toolClass, site.operation),
  create: (plan, { site }) => {
    const check = createInputValidator(plan.schema, plan.options, site.operation);
    return {
      wrap: (next) => (call, input) => {
        let validated: object;
        try {
          validated = check(input);
        } catch (error) {
          return Promise.reject(error);
        }
        return next(call, validated);
      },
    };
  },
});
