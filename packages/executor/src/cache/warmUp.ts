import { checkNumber, ConfigurationError, type CallOptions } from '@aiecs/core';
import type { Logger } from '../logging/Logger';
import { mapWithConcurrency } from '../tool/mapWithConcurrency';

/** One item of a warm-up that failed. */
export interface WarmUpFailure {
  /** Position of the item in the list given. */
  readonly index: number;
  /** What the item ran (`read`, `file.read`, or an `ExecutionUtils` key). */
  readonly operation: string;
  /** Why it failed (the error the call rejected with). */
  readonly error: unknown;
}

/** What `warmUpCache()` reports; it never rejects because an item failed. */
export interface WarmUpReport {
  /** Items run. */
  readonly total: number;
  /** Items that succeeded (their results are cached where the operation caches). */
  readonly succeeded: number;
  /** Items that failed: `failures.length`. */
  readonly failed: number;
  /** Each failed item, in list order. */
  readonly failures: readonly WarmUpFailure[];
  /** Wall time of the whole warm-up, in ms. */
  readonly durationMs: number;
}

/** Options of `warmUpCache()`. */
export interface WarmUpOptions {
  /** Items run at once (default: the tool's `ioConcurrency`, 10). */
  readonly concurrency?: number;
}

/** Failures named in the one warning a warm-up logs (the report has them all). */
const LOGGED_FAILURES = 5;

/**
 * Runs every item (at most `concurrency` at once) to fill the cache, and reports what failed instead of
 * throwing: a warm-up is best effort, and one failing item must not stop the others or the caller's
 * start-up. Failures are logged once per warm-up (a warning naming the first few) and all reported.
 * A list that is not an array rejects with a `ConfigurationError`.
 */
export async function warmUp<I>(
  items: readonly I[],
  options: WarmUpOptions | undefined,
  defaultConcurrency: number,
  describe: (item: I) => string,
  run: (item: I) => Promise<unknown>,
  logger: Logger,
): Promise<WarmUpReport> {
  if (!Array.isArray(items)) throw new ConfigurationError('warmUpCache.operations', items, 'expected an array of operations');
  const concurrency = checkNumber('warmUpCache.concurrency', options?.concurrency ?? defaultConcurrency, { min: 1, integer: true });
  const started = performance.now();
  const settled = await mapWithConcurrency(items, concurrency, (item) => Promise.resolve().then(() => run(item)), true);
  const failures: WarmUpFailure[] = [];
  settled.forEach((outcome, index) => {
    const result = outcome as { status: 'fulfilled' | 'rejected'; reason?: unknown };
    if (result.status === 'rejected') failures.push({ index, operation: safeDescribe(describe, items[index]!), error: result.reason });
  });
  if (failures.length > 0) {
    logger.warn(`cache warm-up: ${failures.length} of ${items.length} operations failed (not cached)`, {
      failures: failures.slice(0, LOGGED_FAILURES).map((f) => `${f.operation}: ${String(f.error)}`),
    });
  }
  return {
    total: items.length,
    succeeded: items.length - failures.length,
    failed: failures.length,
    failures,
    durationMs: performance.now() - started,
  };
}

function safeDescribe<I>(describe: (item: I) => string, item: I): string {
  try {
    return describe(item);
  } catch {
    return '(unreadable item)';
  }
}

/** One operation of a tool's warm-up: `run(op, input, context)`'s arguments (or the seed's `{ op, kwargs }`). */
export type WarmUpItem =
  | { readonly op: string; readonly input?: unknown; readonly context?: CallOptions }
  | { readonly op: string; readonly kwargs: unknown; readonly context?: CallOptions };

/** The input of a warm-up item, in either shape. */
export function warmUpInput(item: WarmUpItem): unknown {
  return 'kwargs' in item ? item.kwargs : item.input;
}
