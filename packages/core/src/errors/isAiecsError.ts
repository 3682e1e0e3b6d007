import type { AiecsError } from './AiecsError';

/**
 * Brand set (non-enumerable, value `true`) on `AiecsError.prototype`. A registered symbol, so
 * every copy of the package — two versions in one `node_modules`, two module instances — shares it.
 * @internal
 */
export const AIECS_ERROR_BRAND = Symbol.for('aiecs.error');

/**
 * Whether `value` is an {@link AiecsError}, from this copy of the package or any other one.
 * Checks the prototype brand rather than `instanceof`, which fails across module instances.
 */
export function isAiecsError(value: unknown): value is AiecsError {
  return typeof value === 'object' && value !== null && (value as { [AIECS_ERROR_BRAND]?: unknown })[AIECS_ERROR_BRAND] === true;
}
