import type { IBackoff, IBackoffFactory } from 'cockatiel';
import type { CallScope } from '../context/CallScope';
import { isRetryable } from './isRetryable';

/** A resolved retry policy. */
export interface RetrySettings {
  /** Total attempts, the first included (cockatiel's `maxAttempts` would be `attempts - 1`). */
  readonly attempts: number;
  /** Delays between attempts. */
  readonly backoff: IBackoffFactory<unknown>;
  /** Narrows what is retried (never widens past `isRetryable`). */
  readonly retryOn?: (error: unknown) => boolean;
}

/** Called before each backoff wait. */
export type RetryListener = (error: unknown, nextAttempt: number, delayMs: number) => void;

/**
 * Runs `attempt` up to `settings.attempts` times. Unlike cockatiel's RetryPolicy, the backoff wait
 * ends when the call is aborted, and no attempt starts after that: a caller released at its
 * deadline never sees a late attempt. The first attempt runs without the loop's async frame: most
 * calls succeed first time.
 */
export function retryWithBackoff<T>(
  attempt: (attemptNo: number) => Promise<T>,
  scope: CallScope,
  settings: RetrySettings,
  onRetry?: RetryListener,
): Promise<T> {
  if (scope.aborted) return Promise.reject(scope.abortReason);
  return attempt(1).then(undefined, (error: unknown) => retryAfter(error, attempt, scope, settings, onRetry));
}

async function retryAfter<T>(
  firstError: unknown,
  attempt: (attemptNo: number) => Promise<T>,
  scope: CallScope,
  settings: RetrySettings,
  onRetry: RetryListener | undefined,
): Promise<T> {
  let error = firstError;
  let backoff: IBackoff<unknown> | undefined;
  for (let attemptNo = 1; ; attemptNo++) {
    const retry =
      attemptNo < settings.attempts &&
      !scope.aborted &&
      isRetryable(error) &&
      (settings.retryOn === undefined || settings.retryOn(error));
    if (!retry) throw error;
    const context = { attempt: attemptNo, error };
    backoff = backoff ? backoff.next(context) : settings.backoff.next(context);
    onRetry?.(error, attemptNo + 1, backoff.duration);
    await scope.sleep(backoff.duration);
    scope.throwIfAborted();
    try {
      return await attempt(attemptNo + 1);
    } catch (nextError) {
      error = nextError;
    }
  }
}
