/**
 * Settles with `work()`'s outcome, or at `ms` with the error `onDeadline()` returns (it also aborts
 * whatever it must). The timer is cleared as soon as the work settles, so nothing outlives the call.
 */
export function raceDeadline<T>(work: () => Promise<T>, ms: number, onDeadline: () => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onDeadline()), ms);
    work().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Runs `work()` to completion, calling `onDeadline()` (which aborts a signal) if it is still running at `ms`. */
export async function signalAtDeadline<T>(work: () => Promise<T>, ms: number, onDeadline: () => void): Promise<T> {
  const timer = setTimeout(onDeadline, ms);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
  }
}
