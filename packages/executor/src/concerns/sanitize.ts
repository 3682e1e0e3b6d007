import { createSanitizer } from '../security/sanitizeInput';
import { defineConcern } from './Concern';

/** `@Sanitize` (unless `enableSecurityChecks` is off): a string matching a security rule rejects with `SecurityError`. */
export const sanitize = defineConcern({
  name: 'sanitize',
  reads: ['sanitize'],
  configKeys: [],
  plan: ({ declared, config }) => (config.enableSecurityChecks ? declared.sanitize : undefined),
  create: (plan) => {
    const check = createSanitizer(plan);
    return {
      wrap: (next) => (call, input) => {
        try {
          check(input);
        } catch (error) {
          return Promise.reject(error);
        }
        return next(call, input);
      },
    };
  },
});
