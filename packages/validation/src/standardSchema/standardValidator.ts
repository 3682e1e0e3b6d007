import { checkNumber, InputValidationError, type FieldError } from '@aiecs/core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { DEFAULT_MAX_DEPTH } from '../strictValidator';
import { findDepthViolation, unreadableError } from '../strict/depth';
import { joinPath } from '../strict/path';

/** Validates one input against a Standard Schema: its output, or a rejection with `InputValidationError`. */
export type StandardInputValidator<T = unknown> = (input: unknown) => T | Promise<T>;

/** The dotted path of an issue (`items.1.name`; `''` for the input itself). */
function issuePath(issue: StandardSchemaV1.Issue): string {
  let path = '';
  for (const segment of issue.path ?? []) {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    path = joinPath(path, typeof key === 'number' ? key : String(key));
  }
  return path;
}

/** The constraint name of an issue: the library's code where it gives one (zod's `code`, valibot's `type`), else `invalid`. */
function issueConstraint(issue: StandardSchemaV1.Issue): string {
  const { code, type } = issue as { code?: unknown; type?: unknown };
  if (typeof code === 'string' && code !== '') return code;
  if (typeof type === 'string' && type !== '') return type;
  return 'invalid';
}

/** Standard Schema issues as `FieldError`s, one per path (two issues of one constraint at one path get `name`, `name_2`…). */
export function issuesToFieldErrors(issues: readonly StandardSchemaV1.Issue[]): FieldError[] {
  const byPath = new Map<string, Record<string, string>>();
  for (const issue of issues) {
    const path = issuePath(issue);
    let constraints = byPath.get(path);
    if (!constraints) byPath.set(path, (constraints = {}));
    const base = issueConstraint(issue);
    let name = base;
    for (let n = 2; name in constraints; n++) name = `${base}_${n}`;
    constraints[name] = typeof issue.message === 'string' ? issue.message : String(issue.message);
  }
  return [...byPath].map(([path, constraints]) => ({ path, constraints }));
}

/** The outcome of `validate`: the output, or `InputValidationError` with the issues. */
function settle<T>(result: StandardSchemaV1.Result<T>, operation: string | undefined): T {
  if (result.issues) throw new InputValidationError(issuesToFieldErrors(result.issues), operation);
  return result.value;
}

/**
 * Builds a validator for a Standard Schema (zod 4, valibot, arktype…). Inputs nested deeper than
 * `maxDepth` (default 32) or circular, and (unless `forbidUnknown: false`) inputs with a `__proto__`,
 * `constructor` or `prototype` key at any depth, are refused before the library sees them, as for
 * schema classes; unknown keys otherwise are the schema's business (`z.strictObject`, `v.strictObject`). The library's issues become one `InputValidationError` with dotted paths (constraint:
 * the issue's `code` or `type`, else `invalid`). A schema whose `validate` is async returns a
 * Promise; a library that throws (a getter, a Proxy trap in the input) is reported as `{ unreadable }`
 * at the root, never as another error.
 */
export function createStandardValidator<S extends StandardSchemaV1>(
  schema: S,
  options: { readonly maxDepth?: number; readonly forbidUnknown?: boolean } = {},
  operation?: string,
): StandardInputValidator<StandardSchemaV1.InferOutput<S>> {
  const maxDepth = checkNumber('maxDepth', options.maxDepth ?? DEFAULT_MAX_DEPTH, { min: 1, integer: true });
  const forbidKeys = options.forbidUnknown ?? true;
  const standard = schema['~standard'];
  type Output = StandardSchemaV1.InferOutput<S>;
  const unreadable = (error: unknown): never => {
    if (error instanceof InputValidationError) throw error;
    throw new InputValidationError([unreadableError('')], operation);
  };
  return (input: unknown) => {
    let result: StandardSchemaV1.Result<Output> | Promise<StandardSchemaV1.Result<Output>>;
    try {
      const violation = findDepthViolation(input, maxDepth, forbidKeys);
      if (violation) throw new InputValidationError([violation], operation);
      result = standard.validate(input) as typeof result;
    } catch (error) {
      return unreadable(error);
    }
    if (result instanceof Promise) return result.then((settled) => settle(settled, operation), unreadable);
    return settle(result, operation);
  };
}
