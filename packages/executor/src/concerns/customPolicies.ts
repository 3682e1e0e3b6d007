import { ConfigurationError, type PolicyLike, type PolicySource } from '@aiecs/core';
import type { Call } from '../pipeline/Call';
import type { Handler } from '../pipeline/Handler';
import { defineConcern } from './Concern';

/** `@UsePolicy` plus configured `policies`: any cockatiel policies around each attempt (first listed = outermost). */
export const customPolicies = defineConcern({
  name: 'customPolicies',
  reads: ['policies'],
  configKeys: ['policies'],
  check: (configured, path) => {
    const { policies } = configured;
    if (policies === undefined) return;
    if (!Array.isArray(policies)) throw new ConfigurationError(`${path}.policies`, policies, 'expected an array of cockatiel policies');
    policies.forEach((p: unknown, i) => {
      if (typeof p !== 'function' && typeof (p as { execute?: unknown } | null)?.execute !== 'function') {
        throw new ConfigurationError(
          `${path}.policies.${i}`,
          p,
          'expected a cockatiel policy (an object with execute) or a factory returning one',
        );
      }
    });
  },
  plan: ({ configured, declared, toolWide }): readonly PolicySource[] | undefined => {
    const all = [...(declared.policies ?? toolWide.policies ?? []), ...(configured.policies ?? [])];
    return all.length > 0 ? all : undefined;
  },
  create: (plan, { site }) => {
    const policies: PolicyLike[] = plan.map((p) => (typeof p === 'function' ? p(site) : p));
    return {
      wrap: (next) => {
        let handler = next;
        for (const policy of [...policies].reverse()) {
          const inner = handler;
          handler = (call: Call, input: unknown) => policy.execute(() => inner(call, input));
        }
        return handler as Handler;
      },
    };
  },
});
