import { FixedDelayTimer } from './FixedDelayTimer';

/** The `FixedDelayTimer`s of one executor, one per distinct delay; `close()` stops them all. */
export class DelayTimers {
  private readonly byDelay = new Map<number, FixedDelayTimer>();

  /** The shared timer for `delayMs`. */
  forDelay(delayMs: number): FixedDelayTimer {
    let timer = this.byDelay.get(delayMs);
    if (!timer) this.byDelay.set(delayMs, (timer = new FixedDelayTimer(delayMs)));
    return timer;
  }

  /** Stops every timer. */
  close(): void {
    for (const timer of this.byDelay.values()) timer.close();
    this.byDelay.clear();
  }
}
