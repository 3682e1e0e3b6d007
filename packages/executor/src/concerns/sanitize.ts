import type { BuiltinSecurityRule, PathRoots, SanitizeOptions } from '@aiecs/core';
import { confinePath } from '../security/confinePath';
import { createSanitizer, type ConfineTarget } from '../security/sanitizeInput';
import { SECURITY_LEVEL_DEFAULTS } from '../security/securityLevel';
import { defineConcern } from './Concern';

/** What the sanitize stage runs: the declared options, the rules the security level picks, the default extensions. */
export interface SanitizePlan {
  readonly options: SanitizeOptions;
  /** Rules used when `options.rules` is absent (`SECURITY_LEVEL`). */
  readonly defaultRules: readonly BuiltinSecurityRule[];
  /** Extensions of a confined field that lists none (`ALLOWED_FILE_EXTENSIONS`). */
  readonly allowedFileExtensions?: readonly string[];
}

/**
 * `@Sanitize` (unless `enableSecurityChecks` is off): a string matching a security rule rejects with
 * `SecurityError`; then each confined field's path is checked against its roots (`confinePath`, which reads
 * the filesystem, so only operations that declare confinement go asynchronous here).
 */
export const sanitize = defineConcern({
  name: 'sanitize',
  reads: ['sanitize'],
  configKeys: [],
  plan: ({ declared, config }): SanitizePlan | undefined =>
    config.enableSecurityChecks && declared.sanitize !== undefined
      ? {
          options: declared.sanitize,
          defaultRules: SECURITY_LEVEL_DEFAULTS[config.securityLevel].rules,
          allowedFileExtensions: config.allowedFileExtensions,
        }
      : undefined,
  create: (plan, { target }) => {
    const check = createSanitizer(plan.options, { rules: plan.defaultRules });
    const rootOf = (root: PathRoots | ((tool: object) => PathRoots)): PathRoots => (typeof root === 'function' ? root(target) : root);
    const confineAll = (targets: readonly ConfineTarget[]): Promise<unknown> =>
      Promise.all(
        targets.map(({ field, value, confine }) =>
          // An optional field left out is not a path to confine.
          value === undefined || value === null
            ? undefined
            : confinePath(value, { root: rootOf(confine.root), extensions: confine.extensions ?? plan.allowedFileExtensions, field }),
        ),
      );
    return {
      wrap: (next) => (call, input) => {
        let targets: readonly ConfineTarget[];
        try {
          targets = check(input);
        } catch (error) {
          return Promise.reject(error);
        }
        if (targets.length === 0) return next(call, input);
        return confineAll(targets).then(() => next(call, input));
      },
    };
  },
});
