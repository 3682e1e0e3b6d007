import type { PolicySource } from '../metadata/declarations';
import { policyDecorator, type PolicyDecorator } from './operationDecorator';

/**
 * Wraps the operation in any cockatiel policy (`IPolicy`), or in the policy a factory returns
 * (called once per tool instance and operation). Applied inside the named policies, around each attempt's timeout.
 *
 * @example
 * ```ts
 * @UsePolicy(({ tool, operation }) => fallback(handleAll, 'n/a'))
 * async lookup(input: LookupInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function UsePolicy(...policies: PolicySource[]): PolicyDecorator {
  for (const p of policies) {
    if (typeof p !== 'function' && typeof (p as { execute?: unknown })?.execute !== 'function') {
      throw new TypeError('@UsePolicy expects cockatiel policies (objects with execute) or factories returning one');
    }
  }
  return policyDecorator('UsePolicy', { policies });
}
