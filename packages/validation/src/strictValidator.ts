import {
  checkNumber,
  ConfigurationError,
  InputValidationError,
  type Constructor,
  type FieldError,
  type ValidateOptions,
} from '@aiecs/core';
import { plainToInstance, type ClassTransformOptions } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { prepareSchema, schemaClasses } from './bridge/prepareSchema';
import { rejectAsyncConstraints } from './strict/asyncRules';
import { isPlainObject } from './strict/plainObject';
import { checkStructure } from './strict/structure';
import { findDepthViolation, unreadableError } from './strict/depth';
import { flattenValidationErrors } from './strict/flattenErrors';
import { inputShape } from './strict/inputShape';
import { assignableProperties, instantiateFlat } from './strict/flatInstance';
import { copyPlainData, transformMutatesInput } from './strict/inputCopy';
import { compileSchema, INVALID, UNDECIDED_INPUT, type CompiledCheck } from './compiled/compileSchema';

/** Validates one input against a schema: returns the schema instance or throws `InputValidationError`. */
export type InputValidator<T extends object = object> = (input: unknown) => T;

/** Default of `ValidateOptions.maxDepth`. */
export const DEFAULT_MAX_DEPTH = 32;

/**
 * Builds a synchronous strict validator for `schema` (a class decorated with this package's
 * decorators). It rejects non-objects, inputs nested deeper than `maxDepth` (default 32) or
 * circular, unknown properties at any level (`forbidUnknown`, default true; when false they are
 * stripped instead), implicit conversions ("5" is not a number), single values where an `each: true`
 * rule expects a collection, missing `@ValidateNested` objects not marked `@IsOptional`, a
 * `@ValidateNested` value (or, with `each: true`, an item of it) that is an object but not a plain
 * object (an array in an array, a Map, a Set, a Date, a typed array, a class instance: `{ isPlainObject }`),
 * and, when `forbidUnknown`, `__proto__`, `constructor` and `prototype` keys at any depth, declared
 * or not (`{ forbiddenKey }`). It reports every failing field with its dotted path in one
 * `InputValidationError`, and returns the transformed instance of `schema`. An input that makes the
 * checks, class-transformer or class-validator throw (a throwing getter or Proxy trap, a Map key
 * without a string form) is refused too, as `{ unreadable }` at the field the depth walk finds
 * unreadable, else at the root: a validator throws `InputValidationError` for any input.
 *
 * Async constraints are not supported, and a schema that has one is refused: validation runs
 * through class-validator's `validateSync`, which skips async constraints silently (the input
 * would pass rules it breaks). `createInputValidator` throws `ConfigurationError` naming the
 * schema, the class and field, when the schema or a class it reaches (ancestors, `@Type`) has a
 * constraint registered as async (`@ValidatorConstraint({ async: true })`,
 * `registerDecorator({ async: true, ... })`) or `@ValidatePromise()`. A constraint not registered
 * as async but returning a Promise cannot be seen in advance: do not write one.
 *
 * The schema is prepared (`prepareSchema`) and checked when the validator is created; when a
 * `@Type` thunk cannot be called yet (it names a class defined later), on the first call instead,
 * which then throws the `ConfigurationError`. A flat input (primitive values only) whose keys are
 * all declared fields without class-transformer metadata skips the depth walk and `plainToInstance`
 * (same instance, see `instantiateFlat`); anything else takes the general path.
 */
export function createInputValidator<T extends object>(
  schema: Constructor<T>,
  options: ValidateOptions = {},
  operation?: string,
): InputValidator<T> {
  return buildInputValidator(schema, options, operation, true);
}

/**
 * `createInputValidator`, with the compiled check (`compileSchema`) in front of the general path
 * when `compiled` is true: a valid input the check recognises returns its instance at once; an
 * invalid or undecided one goes through the general path, which builds the errors (and is the
 * reference the compiled check is tested against, with `compiled` false).
 */
export function buildInputValidator<T extends object>(
  schema: Constructor<T>,
  options: ValidateOptions,
  operation: string | undefined,
  compiled: boolean,
): InputValidator<T> {
  if (typeof schema !== 'function') throw new TypeError('createInputValidator(schema): schema must be a class');
  const maxDepth = checkNumber('maxDepth', options.maxDepth ?? DEFAULT_MAX_DEPTH, { min: 1, integer: true });
  const forbidUnknown = options.forbidUnknown ?? true;
  if (typeof forbidUnknown !== 'boolean') throw new ConfigurationError('forbidUnknown', forbidUnknown, 'expected a boolean');

  const transformOptions: ClassTransformOptions = { enableImplicitConversion: false };
  const validatorOptions: ValidatorOptions = {
    // Unknown properties are handled by checkStructure: class-validator's whitelist would also
    // reject declared fields that only carry class-transformer decorators (`@Exclude() role = 'x'`).
    whitelist: false,
    forbidUnknownValues: true,
    skipMissingProperties: false,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
  };
  const notAnObject: readonly FieldError[] = [{ path: '', constraints: { isObject: 'input must be an object' } }];
  /** Properties a flat input may set without plainToInstance (`assignableProperties`): known once prepared. */
  let assignable: ReadonlySet<string> | undefined;
  /** Whether plainToInstance would write to the input (a @Type discriminator): it then reads a copy. */
  let copiesInput = true;
  let prepared = false;
  /** The compiled check (strict mode only: it reports unknown properties, it never strips them). */
  let fastCheck: CompiledCheck<T> | undefined;
  /** Prepares the schema and refuses async constraints (throws `ConfigurationError`, see `rejectAsyncConstraints`). */
  const prepare = (): void => {
    prepareSchema(schema);
    rejectAsyncConstraints(schema, schemaClasses(schema));
    assignable = assignableProperties(schema);
    copiesInput = transformMutatesInput(schema);
    if (compiled && forbidUnknown) {
      const result = compileSchema(schema as unknown as new () => T, maxDepth);
      if ('check' in result) fastCheck = result.check;
    }
    prepared = true;
  };
  try {
    prepare();
  } catch (error) {
    // A @Type thunk naming a class not defined yet: the first call prepares (and checks) again.
    if (error instanceof ConfigurationError) throw error;
  }

  const validate = (input: unknown): T => {
    if (!isPlainObject(input)) throw new InputValidationError(notAnObject, operation);
    const shape = inputShape(input, assignable);
    // A flat input is one level deep, acyclic, and has no forbidden key: the depth walk has nothing to find.
    if (shape === 'nested') {
      const violation = findDepthViolation(input, maxDepth, forbidUnknown);
      if (violation) throw new InputValidationError([violation], operation);
    }
    // A flat input has no nested value for a discriminator to be deleted from; otherwise the caller's
    // object is never handed to class-transformer when it would write to it.
    const source = shape !== 'nested' || !copiesInput ? input : copyPlainData(input);
    const instance = shape === 'assignable' ? instantiateFlat(schema, source) : (plainToInstance(schema, source, transformOptions) as T);
    // Error lists are only built when there is an error: a valid input allocates none of them.
    const failures = validateSync(instance, validatorOptions);
    const errors = checkStructure(instance, forbidUnknown, failures.length > 0 ? flattenValidationErrors(failures) : undefined, source);
    if (errors && errors.length > 0) throw new InputValidationError(mergeByPath(errors), operation);
    return instance;
  };

  return (input: unknown): T => {
    // Outside the guard: a schema error (a throwing @Type thunk, an async constraint) is not the caller's.
    if (!prepared) prepare();
    if (fastCheck !== undefined) {
      const instance = fastCheck(input);
      if (instance !== INVALID && instance !== UNDECIDED_INPUT) return instance;
    }
    try {
      return validate(input);
    } catch (error) {
      if (error instanceof InputValidationError) throw error;
      // The one guard for values that make the checks, class-transformer or class-validator throw
      // (getters, Proxy traps, Map keys without a string form...): the input is refused, naming
      // the field the depth walk finds unreadable, else the root.
      throw new InputValidationError([locateUnreadable(input, maxDepth)], operation);
    }
  };
}

/** Where reading `input` throws, as far as the depth walk can tell; the root when it cannot. */
function locateUnreadable(input: unknown, maxDepth: number): FieldError {
  try {
    const violation = findDepthViolation(input, maxDepth);
    if (violation?.constraints.unreadable !== undefined) return violation;
  } catch {
    /* the root itself cannot be read */
  }
  return unreadableError('');
}

/** One entry per path, constraints of the same path merged, first-seen order kept. */
function mergeByPath(errors: readonly FieldError[]): FieldError[] {
  const byPath = new Map<string, Record<string, string>>();
  for (const { path, constraints } of errors) byPath.set(path, { ...byPath.get(path), ...constraints });
  return [...byPath].map(([path, constraints]) => ({ path, constraints }));
}

const cache = new WeakMap<Function, Map<string, InputValidator>>();

/**
 * Validates `input` against `schema` with a validator created once per schema and options (see
 * `createInputValidator`). Synchronous; a schema with async constraints is refused (`ConfigurationError`).
 */
export function validateInput<T extends object>(schema: Constructor<T>, input: unknown, options: ValidateOptions = {}): T {
  let bySchema = cache.get(schema);
  if (!bySchema) cache.set(schema, (bySchema = new Map()));
  const key = `${options.maxDepth ?? DEFAULT_MAX_DEPTH}|${options.forbidUnknown ?? true}`;
  let validator = bySchema.get(key);
  if (!validator) bySchema.set(key, (validator = createInputValidator(schema, options)));
  return validator(input) as T;
}
