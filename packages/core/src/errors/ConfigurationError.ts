import { AiecsError } from './AiecsError';

/** A configuration option or environment variable has an invalid value; names both. */
export class ConfigurationError extends AiecsError {
  /** The option or environment variable name. */
  readonly option: string;
  /** The rejected value, as given. */
  readonly value: unknown;

  constructor(option: string, value: unknown, reason: string) {
    super('CONFIGURATION', `Invalid value for ${option}: ${JSON.stringify(value) ?? String(value)} (${reason})`);
    this.option = option;
    this.value = value;
  }
}
