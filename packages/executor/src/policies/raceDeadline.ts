import type { ExpiryScheduler } from './FixedDelayTimer';

/**
 * Settles with `work()`'s outcome, or when `timer` expires with the error `onDeadline()` returns
 * (it also aborts whatever it must). The expiry is cancelled as soon as the work settles.
 */
export function raceDeadline<T, H>(work: () => Promise<T>, timer: ExpiryScheduler<H>, onDeadline: () => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const expiry = timer.schedule(() => reject(onDeadline()));
    work().then(
      (value) => {
        timer.cancel(expiry);
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel(expiry);
        reject(error);
      },
    );
  });
}

/** Runs `work()` to completion, calling `onDeadline()` (which aborts a signal) if it is still running when `timer` expires. */
export async function signalAtDeadline<T, H>(work: () => Promise<T>, timer: ExpiryScheduler<H>, onDeadline: () => void): Promise<T> {
  const expiry = timer.schedule(onDeadline);
  try {
    return await work();
  } finally {
    timer.cancel(expiry);
  }
}
