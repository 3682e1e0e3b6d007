import { AiecsError } from './AiecsError';
import type { ErrorKind } from './errorKind';
import { registerErrorClass } from './errorRegistry';

/** A string in the input matched a security rule (SQL injection, path traversal, …). Kind `'caller'`. */
export class SecurityError extends AiecsError {
  /** The caller sent input a security rule refuses. */
  static override readonly defaultKind: ErrorKind = 'caller';

  /** Dotted path of the offending field. */
  readonly field: string;
  /** Name of the rule that matched. */
  readonly rule: string;

  constructor(field: string, rule: string, reason: string) {
    super('SECURITY', `Input field '${field}' rejected by security rule '${rule}': ${reason}`);
    this.field = field;
    this.rule = rule;
  }
}

registerErrorClass(SecurityError);
