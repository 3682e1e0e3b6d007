/**
 * Collapses concurrent calls with the same key into one execution ("single flight"), so a burst of
 * identical cache misses runs the operation once instead of stampeding the backend.
 * Only in-flight work is shared: the entry is dropped as soon as it settles, so errors are never cached
 * and a later call runs again.
 */
export class SingleFlight {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /** Number of keys currently executing; exposed for tests and metrics. */
  get size(): number {
    return this.inFlight.size;
  }

  /** Runs `fn`, or joins the execution already running under `key`, sharing its result or error. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return running as Promise<T>;

    let started: Promise<T>;
    try {
      started = Promise.resolve(fn());
    } catch (error) {
      // A synchronous throw is reported like a rejection, and never registered.
      return Promise.reject(error);
    }
    // Guarded so a settled flight never removes a newer one registered under the same key.
    const forget = (): void => {
      if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
    };
    const shared = started.then(
      (value) => {
        forget();
        return value;
      },
      (error: unknown) => {
        forget();
        throw error;
      },
    );
    this.inFlight.set(key, shared);
    return shared;
  }
}
