/** Schedules one callback after a delay and cancels it: a fixed-delay queue or a plain timer. */
export interface ExpiryScheduler<Handle = unknown> {
  schedule(onExpire: () => void): Handle;
  cancel(handle: Handle): void;
}

/** A plain `setTimeout` scheduler, for delays that differ per call (a caller's `deadlineMs`). */
export function oneShotTimer(delayMs: number): ExpiryScheduler<NodeJS.Timeout> {
  return { schedule: (onExpire) => setTimeout(onExpire, delayMs), cancel: (timer) => clearTimeout(timer) };
}

/** A callback scheduled on a `FixedDelayTimer`; pass it back to `cancel`. */
export interface ScheduledExpiry {
  /** Due time on the monotonic clock (`performance.now()`), immune to wall-clock jumps. */
  readonly at: number;
  readonly onExpire: () => void;
  prev: ScheduledExpiry | undefined;
  next: ScheduledExpiry | undefined;
  linked: boolean;
}

/**
 * Runs callbacks `delayMs` after they were scheduled, with one Node timer for all of them.
 *
 * Every call of an operation has the same timeout, so expiries arrive in the order they were
 * scheduled: a FIFO list needs only its head armed. A per-call `setTimeout` would instead create
 * and destroy Node's timer list for that duration on every sequential call, which measured as the
 * largest part of the executor's own per-call cost. The timer is unref'd while nothing is pending,
 * so an idle tool never keeps the process alive.
 */
export class FixedDelayTimer implements ExpiryScheduler<ScheduledExpiry> {
  private head: ScheduledExpiry | undefined = undefined;
  private tail: ScheduledExpiry | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;
  private referenced = false;

  constructor(readonly delayMs: number) {}

  /** Calls `onExpire` in `delayMs` unless cancelled first. */
  schedule(onExpire: () => void): ScheduledExpiry {
    // The global `performance` (not node:perf_hooks): monotonic, and fake timers in tests control it.
    const entry: ScheduledExpiry = { at: performance.now() + this.delayMs, onExpire, prev: this.tail, next: undefined, linked: true };
    if (this.tail) this.tail.next = entry;
    else this.head = entry;
    this.tail = entry;
    if (this.timer === undefined) this.arm(this.delayMs);
    else if (!this.referenced) this.setReferenced(true);
    return entry;
  }

  /** Forgets `entry`; a no-op once it has expired or been cancelled. */
  cancel(entry: ScheduledExpiry): void {
    if (!entry.linked) return;
    this.unlink(entry);
    if (this.head === undefined && this.referenced) this.setReferenced(false);
  }

  /** Stops the timer; pending callbacks never run. */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (let entry = this.head; entry !== undefined; entry = entry.next) entry.linked = false;
    this.head = this.tail = undefined;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = performance.now();
    while (this.head !== undefined && this.head.at <= now) {
      const expired = this.head;
      this.unlink(expired);
      expired.onExpire();
    }
    if (this.head !== undefined) this.arm(this.head.at - now);
  };

  private arm(ms: number): void {
    // The timer may be armed for an entry cancelled since: it then fires early, finds the new head
    // not yet due, and re-arms; it never fires late, because later entries are due later.
    this.timer = setTimeout(this.fire, ms);
    this.referenced = true;
    if (this.head === undefined) this.setReferenced(false);
  }

  private setReferenced(referenced: boolean): void {
    this.referenced = referenced;
    if (referenced) this.timer?.ref();
    else this.timer?.unref();
  }

  private unlink(entry: ScheduledExpiry): void {
    entry.linked = false;
    if (entry.prev) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = entry.next = undefined;
  }
}
