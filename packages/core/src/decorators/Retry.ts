import type { RetryOptions } from '../metadata/declarations';
import { checkNumber } from '../options/checkNumber';
import { policyDecorator, type PolicyDecorator } from './operationDecorator';

/** Retries failed attempts with backoff; `attempts` counts every attempt, the first one included. */
export function Retry(options: RetryOptions = {}): PolicyDecorator {
  if (options.attempts !== undefined) checkNumber('Retry.attempts', options.attempts, { min: 1, integer: true });
  if (options.initialDelayMs !== undefined) checkNumber('Retry.initialDelayMs', options.initialDelayMs);
  if (options.maxDelayMs !== undefined) checkNumber('Retry.maxDelayMs', options.maxDelayMs);
  return policyDecorator('Retry', { retry: options });
}
