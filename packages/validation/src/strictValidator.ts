import { checkNumber, ConfigurationError, InputValidationError, type Constructor, type FieldError, type ValidateOptions } from '@aiecs/core';
import { plainToInstance, type ClassTransformOptions } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { prepareSchema } from './bridge/prepareSchema';
import { checkStructure } from './strict/structure';
import { findDepthViolation } from './strict/depth';
import { flattenValidationErrors } from './strict/flattenErrors';
import { inputShape } from './strict/inputShape';
import { assignableProperties, instantiateFlat } from './strict/flatInstance';

/** Validates one input against a schema: returns the schema instance or throws `InputValidationError`. */
export type InputValidator<T extends object = object> = (input: unknown) => T;

/** Default of `ValidateOptions.maxDepth`. */
export const DEFAULT_MAX_DEPTH = 32;

/** A plain object from any realm: `{}` or `Object.create(null)`, not an array, class instance, Date... */
function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Object.prototype.toString.call(value) !== '[object Object]') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Builds a synchronous strict validator for `schema` (a class decorated with this package's
 * decorators). It rejects non-objects, inputs nested deeper than `maxDepth` (default 32) or
 * circular, unknown properties at any level (`forbidUnknown`, default true; when false they are
 * stripped instead), implicit conversions ("5" is not a number), single values where an `each: true`
 * rule expects a collection, and missing `@ValidateNested` objects not marked `@IsOptional`. It
 * reports every failing field with its dotted path in one `InputValidationError`, and returns the
 * transformed instance of `schema`.
 * Async validators are not supported: validation runs through `validateSync`, which skips them.
 * The schema is prepared (`prepareSchema`) on the first call, so `@Type` thunks may name later classes.
 * From the second call on, a flat input (primitive values only) whose keys are all declared fields
 * without class-transformer metadata skips the depth walk and `plainToInstance` (same instance, see
 * `instantiateFlat`); anything else takes the general path.
 */
export function createInputValidator<T extends object>(
  schema: Constructor<T>,
  options: ValidateOptions = {},
  operation?: string,
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
  let prepared = false;
  /** Properties a flat input may set without plainToInstance (`assignableProperties`): known once prepared. */
  let assignable: ReadonlySet<string> | undefined;

  return (input: unknown): T => {
    if (!isPlainObject(input)) throw new InputValidationError(notAnObject, operation);
    const shape = inputShape(input, assignable);
    // A flat input is one level deep and acyclic: the depth/cycle walk has nothing to find.
    if (shape === 'nested') {
      const tooDeep = findDepthViolation(input, maxDepth);
      if (tooDeep) throw new InputValidationError([tooDeep], operation);
    }
    if (!prepared) {
      prepareSchema(schema);
      prepared = true;
      assignable = assignableProperties(schema);
    }
    const instance = shape === 'assignable' ? instantiateFlat(schema, input) : (plainToInstance(schema, input, transformOptions) as T);
    // Error lists are only built when there is an error: a valid input allocates none of them.
    const failures = validateSync(instance, validatorOptions);
    const errors = checkStructure(instance, forbidUnknown, failures.length > 0 ? flattenValidationErrors(failures) : undefined);
    if (errors && errors.length > 0) throw new InputValidationError(mergeByPath(errors), operation);
    return instance;
  };
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
 * `createInputValidator`). Synchronous; async validators are not supported.
 */
export function validateInput<T extends object>(schema: Constructor<T>, input: unknown, options: ValidateOptions = {}): T {
  let bySchema = cache.get(schema);
  if (!bySchema) cache.set(schema, (bySchema = new Map()));
  const key = `${options.maxDepth ?? DEFAULT_MAX_DEPTH}|${options.forbidUnknown ?? true}`;
  let validator = bySchema.get(key);
  if (!validator) bySchema.set(key, (validator = createInputValidator(schema, options)));
  return validator(input) as T;
}
