import { policyDecorator, type PolicyDecorator } from './operationDecorator';

/**
 * Returns `valueOrFn` (or `valueOrFn(error)` when it is a function) instead of a failure.
 * Input validation and security errors are never replaced: they are the caller's to fix.
 *
 * @example
 * ```ts
 * @Fallback((error) => ({ items: [], stale: true }))
 * async search(input: SearchInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function Fallback(valueOrFn: unknown): PolicyDecorator {
  return policyDecorator('Fallback', { fallback: { value: valueOrFn } });
}
