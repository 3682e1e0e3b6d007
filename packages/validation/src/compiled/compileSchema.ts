import { buildInstance, isOrdinaryObject, type CheckState } from './buildInstance';
import { planClass, type ClassPlan } from './classPlan';
import { validateInstance } from './validateInstance';

/** The compiled check's answer when the input fails: the general path then builds the error. */
export const INVALID: unique symbol = Symbol('invalid');
/** The compiled check's answer for an input it does not reproduce (see `buildInstance`): the general path decides. */
export const UNDECIDED_INPUT: unique symbol = Symbol('undecided');

/**
 * A schema's compiled check: the instance `plainToInstance` + `validateSync` + the strict checks would
 * return, or `INVALID` when they would refuse the input, or `UNDECIDED_INPUT`. With `failures`, the
 * failing paths are added to it (the general path's `InputValidationError` paths, merged).
 */
export type CompiledCheck<T> = (input: unknown, failures?: Set<string>) => T | typeof INVALID | typeof UNDECIDED_INPUT;

/** `compileSchema`'s answer: a check, or why the schema is left to the general path. */
export type Compiled<T> = { readonly check: CompiledCheck<T> } | { readonly reason: string };

/**
 * Compiles `schema` (prepared, see `prepareSchema`) once into a check for the strict validator with
 * `forbidUnknown: true`: the schema's and its `@Type` classes' class-validator rules become one plan
 * of checks per property (class-validator's own functions for its built-in rules, the constraint
 * instance for custom ones), and class-transformer's instantiation becomes a copy of the input into
 * `new Class()`s. The answer for a valid input is what the general path returns; an invalid input is
 * only recognised, the general path then runs for the exact errors. A schema the compiler does not
 * reproduce (see `planClass`) gets a reason instead.
 */
export function compileSchema<T extends object>(schema: new () => T, maxDepth: number): Compiled<T> {
  let root: ClassPlan;
  try {
    root = planClass(schema, new Map());
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
  const check: CompiledCheck<T> = (input, failures) => {
    if (typeof input !== 'object' || input === null) return UNDECIDED_INPUT;
    const state: CheckState = { maxDepth, failed: false, failures };
    try {
      if (!isOrdinaryObject(input)) return UNDECIDED_INPUT;
      const instance = buildInstance(root, input as Record<string, unknown>, 1, '', state);
      validateInstance(root, instance, '', state);
      return state.failed ? INVALID : (instance as T);
    } catch {
      // Undecided inputs (Undecided, UndecidedValue), and inputs whose reading throws (getters,
      // Proxy traps) or that a custom constraint throws on: the general path has their errors.
      return UNDECIDED_INPUT;
    }
  };
  return { check };
}
