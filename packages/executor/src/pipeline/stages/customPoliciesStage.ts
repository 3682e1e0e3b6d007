import type { PolicyLike } from '@aiecs/core';
import type { Middleware } from '../Invocation';

/** Runs each attempt inside user-supplied cockatiel policies (first listed = outermost). */
export function customPoliciesStage(policies: readonly PolicyLike[]): Middleware {
  return (next) => {
    let handler = next;
    for (const policy of [...policies].reverse()) {
      const inner = handler;
      handler = (invocation) => policy.execute(() => inner(invocation));
    }
    return handler;
  };
}
