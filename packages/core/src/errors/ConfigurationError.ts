import { AiecsError } from './AiecsError';
import type { ErrorKind } from './errorKind';
import { registerErrorClass } from './errorRegistry';

/** A configuration option or environment variable has an invalid value; names both. Kind `'internal'`. */
export class ConfigurationError extends AiecsError {
  /** A misconfiguration: fix the configuration. */
  static override readonly defaultKind: ErrorKind = 'internal';

  /** The option or environment variable name. */
  readonly option: string;
  /** The rejected value, as given. */
  readonly value: unknown;

  constructor(option: string, value: unknown, reason: string) {
    super('CONFIGURATION', `Invalid value for ${option}: ${describeValue(value)} (${reason})`);
    this.option = option;
    this.value = value;
  }
}

/** The value as JSON when it has a JSON form, else its `String()` (a bigint or a circular object must not throw here). */
function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    try {
      return String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

registerErrorClass(ConfigurationError);
