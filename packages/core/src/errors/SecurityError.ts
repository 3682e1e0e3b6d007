import { AiecsError } from './AiecsError';
import type { ErrorKind } from './errorKind';
import { registerErrorClass } from './errorRegistry';

/** Longest reason kept in a message: a reason built from the input (a custom rule's, say) cannot echo it whole. */
export const SECURITY_REASON_MAX_LENGTH = 200;
/** Longest field path kept: a hostile property name is part of the path. */
export const SECURITY_FIELD_MAX_LENGTH = 256;

/** `text` cut to `max` characters (an ellipsis marks the cut; a surrogate pair is never split). */
function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * A string in the input (or output) matched a security rule (SQL injection, path traversal, confinement,
 * size, …). Kind `'caller'`: never retried, and refused before the resilience stages. The message names the
 * field path and the rule and says why; it never carries the offending value (reasons and paths are cut to
 * a bounded length, so neither can smuggle the input into logs).
 */
export class SecurityError extends AiecsError {
  /** The caller sent input a security rule refuses. */
  static override readonly defaultKind: ErrorKind = 'caller';

  /** Dotted path of the offending field (`(input)` for the whole input, `(output)` for a result). */
  readonly field: string;
  /** Name of the rule that matched. */
  readonly rule: string;

  constructor(field: string, rule: string, reason: string) {
    const safeField = bounded(String(field), SECURITY_FIELD_MAX_LENGTH);
    super(
      'SECURITY',
      `${safeField.startsWith('(output)') ? 'Output' : 'Input'} field '${safeField}' rejected by security rule '${rule}': ${bounded(String(reason), SECURITY_REASON_MAX_LENGTH)}`,
    );
    this.field = safeField;
    this.rule = rule;
  }
}

registerErrorClass(SecurityError);
