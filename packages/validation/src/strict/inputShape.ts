import { isForbiddenKey } from './depth';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * What one pass over an input's own enumerable string-keyed values (the properties `Object.keys`
 * lists, which is what the depth walk and `plainToInstance` visit) found:
 * - `nested`: one of them is an object or a function, or a key is `__proto__`, `constructor` or
 *   `prototype` (the full walk, `findDepthViolation`, refuses those keys);
 * - `flat`: none is, so the input is one level deep and acyclic (the depth/cycle walk has nothing
 *   to find), and `plainToInstance` copies the values as they are;
 * - `assignable`: flat, and every key is in the set given (see `assignableProperties`).
 */
export type InputShape = 'nested' | 'flat' | 'assignable';

/**
 * Classifies `input` (see `InputShape`) in one pass, without allocating (`for...in` rather than
 * `Object.keys`; inherited enumerable keys, as on a polluted `Object.prototype`, are skipped as
 * `Object.keys` skips them). With `assignable` undefined the answer is at most `flat`.
 */
export function inputShape(input: object, assignable: ReadonlySet<string> | undefined): InputShape {
  const record = input as Record<string, unknown>;
  let allAssignable = assignable !== undefined;
  for (const key in record) {
    if (!hasOwn.call(record, key)) continue;
    const value = record[key];
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') return 'nested';
    // Assignable keys are never forbidden ones (see assignableProperties): the common case costs one lookup.
    if (!allAssignable || !assignable!.has(key)) {
      allAssignable = false;
      if (isForbiddenKey(key)) return 'nested';
    }
  }
  return allAssignable ? 'assignable' : 'flat';
}
