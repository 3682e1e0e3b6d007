import { AiecsError } from './AiecsError';
import type { ErrorKind } from './errorKind';
import { registerErrorClass } from './errorRegistry';

/** One failing field of an input: its dotted path (`items.2.name`) and the failed constraints. */
export interface FieldError {
  /** Dotted path from the input root; array indices are path segments. */
  readonly path: string;
  /** Constraint name → human-readable message, as class-validator reports them. */
  readonly constraints: Readonly<Record<string, string>>;
}

/** The input of an operation does not satisfy its schema; lists every failing field. Kind `'caller'`. */
export class InputValidationError extends AiecsError {
  /** The caller sent bad input. */
  static override readonly defaultKind: ErrorKind = 'caller';

  /** Every failing field, nested paths included. */
  readonly errors: readonly FieldError[];
  /** The operation whose input was rejected, when known. */
  readonly operation?: string;

  constructor(errors: readonly FieldError[], operation?: string) {
    super('INPUT_VALIDATION', InputValidationError.describe(errors, operation));
    this.errors = errors;
    this.operation = operation;
  }

  private static describe(errors: readonly FieldError[], operation?: string): string {
    const fields = errors.map((e) => `${e.path || '(input)'}: ${Object.values(e.constraints).join('; ')}`).join(' | ');
    return `Invalid input${operation ? ` for '${operation}'` : ''}: ${fields}`;
  }
}

registerErrorClass(InputValidationError);
