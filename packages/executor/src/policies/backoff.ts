import type { RetryOptions } from '@aiecs/core';
import {
  ConstantBackoff,
  decorrelatedJitterGenerator,
  DelegateBackoff,
  ExponentialBackoff,
  noJitterGenerator,
  type IBackoffFactory,
} from 'cockatiel';

/** Largest delay between attempts unless `maxDelayMs` says otherwise. */
export const DEFAULT_MAX_DELAY_MS = 30_000;

/** Builds the cockatiel backoff a `@Retry` declaration describes (a user-supplied one is used as is). */
export function createBackoff(options: RetryOptions, defaultInitialDelayMs: number): IBackoffFactory<unknown> {
  const { backoff = 'exponential', jitter = true } = options;
  if (typeof backoff === 'object') return backoff as IBackoffFactory<unknown>;
  const initialDelay = options.initialDelayMs ?? defaultInitialDelayMs;
  const maxDelay = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  if (backoff === 'constant') {
    const delay = Math.min(initialDelay, maxDelay);
    // Constant with jitter: uniform in [delay/2, delay], so synchronized callers spread out.
    return jitter ? new DelegateBackoff(() => delay * (0.5 + Math.random() / 2)) : new ConstantBackoff(delay);
  }
  return new ExponentialBackoff({
    initialDelay,
    maxDelay,
    exponent: 2,
    generator: (jitter ? decorrelatedJitterGenerator : noJitterGenerator) as never,
  });
}
