/** Outcome of one item in settle mode, shaped like `Promise.allSettled`'s. */
export type Settled<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown };

/**
 * Runs `fn` over `items` with at most `limit` in flight; results keep the input order. Without
 * `settle`, the first failure rejects and no further item starts.
 */
export async function mapWithConcurrency<I, T>(
  items: readonly I[],
  limit: number,
  fn: (item: I, index: number) => Promise<T>,
  settle: boolean,
): Promise<Array<T | Settled<T>>> {
  const results = new Array<T | Settled<T>>(items.length);
  let nextIndex = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && nextIndex < items.length) {
      const index = nextIndex++;
      if (!settle) {
        try {
          results[index] = await fn(items[index], index);
        } catch (error) {
          failed = true;
          throw error;
        }
        continue;
      }
      try {
        results[index] = { status: 'fulfilled', value: await fn(items[index], index) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  const workers = Array.from({ length: Math.min(limit, items.length) }, worker);
  await Promise.all(workers);
  return results;
}
