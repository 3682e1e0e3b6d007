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

/** The backoff part of a resolved retry plan. */
export interface BackoffSettings {
  readonly backoff: NonNullable<RetryOptions['backoff']>;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: boolean;
}

/** Builds the cockatiel backoff the settings describe (a user-supplied one is used as is). */
export function createBackoff({ backoff, initialDelayMs, maxDelayMs, jitter }: BackoffSettings): IBackoffFactory<unknown> {
  if (typeof backoff === 'object') return backoff as IBackoffFactory<unknown>;
  if (backoff === 'constant') {
    const delay = Math.min(initialDelayMs, maxDelayMs);
    // Constant with jitter: uniform in [delay/2, delay], so synchronized callers spread out.
    return jitter ? new DelegateBackoff(() => delay * (0.5 + Math.random() / 2)) : new ConstantBackoff(delay);
  }
  return new ExponentialBackoff({
    initialDelay: initialDelayMs,
    maxDelay: maxDelayMs,
    exponent: 2,
    generator: (jitter ? decorrelatedJitterGenerator : noJitterGenerator) as never,
  });
}
