import { AiecsError } from './AiecsError';

/** A string in the input matched a security rule (SQL injection, path traversal, …). */
export class SecurityError extends AiecsError {
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
