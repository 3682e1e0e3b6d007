import { ConfigurationError } from '../errors/ConfigurationError';

/** Bounds for `checkNumber`. */
export interface NumberRule {
  /** Smallest accepted value (inclusive; default 0). */
  readonly min?: number;
  /** Largest accepted value (inclusive; default unbounded). */
  readonly max?: number;
  /** Require a whole number (default false). */
  readonly integer?: boolean;
}

/** Returns `value` when it is a finite number within the rule, else throws `ConfigurationError` naming `option`. */
export function checkNumber(option: string, value: unknown, rule: NumberRule = {}): number {
  const { min = 0, max = Number.POSITIVE_INFINITY, integer = false } = rule;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new ConfigurationError(option, value, 'expected a number');
  if (!Number.isFinite(value)) throw new ConfigurationError(option, value, 'expected a finite number');
  if (integer && !Number.isInteger(value)) throw new ConfigurationError(option, value, 'expected a whole number');
  if (value < min) throw new ConfigurationError(option, value, `must be at least ${min}`);
  if (value > max) throw new ConfigurationError(option, value, `must be at most ${max}`);
  return value;
}
