import { onAbort } from './onAbort';

/** One call watching its caller's signal; `end` it when the call settles. */
export interface AbortWatch {
  /** Stops watching: the callback will not be called, and a listener added for it is removed. */
  end(): void;
}

class Watch implements AbortWatch {
  ended = false;
  private unsubscribe: (() => void) | undefined = undefined;

  constructor(
    private readonly signal: AbortSignal,
    private readonly callback: () => void,
  ) {}

  /** At the end of the turn the call started in: notify now if the signal aborted meanwhile, else listen. */
  subscribe(): void {
    if (this.ended) return;
    if (this.signal.aborted) {
      this.ended = true;
      this.callback();
    } else {
      this.unsubscribe = onAbort(this.signal, () => {
        this.ended = true;
        this.callback();
      });
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.unsubscribe?.();
  }
}

/** Fewest watches kept before the ended ones are dropped. */
const COMPACT_MIN = 256;

/** Watches started in this turn of the event loop, subscribed together by one `setImmediate`. */
let starting: Watch[] = [];
/** Length at which `starting` drops its ended watches (calls awaited one by one never let the loop turn). */
let compactAt = COMPACT_MIN;

function subscribeStarted(): void {
  const watches = starting;
  starting = [];
  compactAt = COMPACT_MIN;
  for (const watch of watches) watch.subscribe();
}

function dropEnded(): void {
  starting = starting.filter((watch) => !watch.ended);
  compactAt = Math.max(COMPACT_MIN, starting.length * 2);
  // Scheduled again: the first flush may have been dropped (fake timers uninstalled before it ran).
  if (starting.length > 0) setImmediate(subscribeStarted);
}

/**
 * Calls `callback` once when `signal` aborts, but adds the listener only when the event loop turns:
 * a call that settles within the turn it started in (a cache hit, a body that only awaits promises)
 * never touches the signal. The caller checks `signal.aborted` when its work settles, so an abort in
 * that turn is still seen; after the turn, the listener reacts at once. Measured on the MCP miss
 * (the SDK makes a fresh signal per request): subscribing to the signal and unsubscribing cost
 * ~8 µs of a ~50 µs `tools/call`, most of it in the garbage collector.
 */
export function watchAbort(signal: AbortSignal, callback: () => void): AbortWatch {
  const watch = new Watch(signal, callback);
  const count = starting.push(watch);
  if (count === 1) setImmediate(subscribeStarted);
  else if (count >= compactAt) dropEnded();
  return watch;
}
