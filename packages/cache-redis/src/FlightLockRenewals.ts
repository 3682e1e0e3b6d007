import type { Logger } from '@aiecs/executor';
import type { Redis } from 'ioredis';
import type { RedisGuard } from './RedisGuard';

/**
 * Extends the lock's TTL only if it still holds the caller's token: a lock that expired and was taken by
 * another process (or vanished with a Redis restart) is never extended, and the caller learns it (0).
 */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

type RenewingClient = Redis & { aiecsRenewFlight(lockKey: string, token: string, ttlMs: number): Promise<number> };

/** One lock this process holds and keeps alive. */
interface Hold {
  readonly lockKey: string;
  readonly token: string;
  readonly ttlMs: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Keeps the flight locks this process holds alive while their executions run, so a method slower than
 * its lock's TTL is not run a second time by another process that finds the lock expired.
 *
 * Every `ttl / 3` the holder runs the compare-and-extend script above (`PEXPIRE` back to the full TTL).
 * The next renewal is scheduled when the previous one answered, so renewals never pile up on a slow
 * server. The timers are unref'd (a held lock never keeps a process alive), and they live only in this
 * process: a holder that crashes stops renewing, and Redis frees its lock at most one TTL later.
 *
 * A renewal that finds the lock no longer ours (expired and taken, or gone) logs one warning and stops
 * renewing that lock; the execution is not cancelled (its result is still stored and returned, and the
 * new holder's own run may overlap it). A renewal that fails because Redis is unreachable is retried at
 * the next interval: if the lock survived the outage it is extended again, if not the retry says so.
 */
export class FlightLockRenewals {
  private readonly holds = new Map<string, Hold>();

  constructor(
    client: Redis,
    private readonly guard: RedisGuard,
    private readonly logger: Logger,
  ) {
    client.defineCommand('aiecsRenewFlight', { numberOfKeys: 1, lua: RENEW_SCRIPT });
  }

  /** Starts renewing `lockKey`, which `token` has just taken for `ttlMs`. */
  start(lockKey: string, token: string, ttlMs: number): void {
    const hold: Hold = { lockKey, token, ttlMs, timer: undefined };
    this.holds.set(token, hold);
    this.schedule(hold);
  }

  /** Stops renewing the lock `token` holds (released, or its call ended); a renewal in flight is ignored. */
  stop(token: string): void {
    const hold = this.holds.get(token);
    if (hold === undefined) return;
    clearTimeout(hold.timer);
    this.holds.delete(token);
  }

  /** Stops every renewal (the store is closing). */
  stopAll(): void {
    for (const token of [...this.holds.keys()]) this.stop(token);
  }

  /** Locks being renewed now. */
  get size(): number {
    return this.holds.size;
  }

  private schedule(hold: Hold): void {
    hold.timer = setTimeout(() => this.renew(hold), Math.max(1, Math.floor(hold.ttlMs / 3)));
    hold.timer.unref();
  }

  private renew(hold: Hold): void {
    hold.timer = undefined;
    this.guard
      .run((client) => (client as RenewingClient).aiecsRenewFlight(hold.lockKey, hold.token, hold.ttlMs))
      .then(
        (renewed) => {
          if (this.holds.get(hold.token) !== hold) return; // released meanwhile
          if (renewed === 1) return this.schedule(hold);
          this.holds.delete(hold.token);
          this.logger.warn(
            'Cross-process single-flight lock lost while its execution runs (it expired or Redis lost it): another process may run the same call',
            { lock: hold.lockKey, ttlMs: hold.ttlMs },
          );
        },
        () => {
          if (this.holds.get(hold.token) === hold) this.schedule(hold);
        },
      );
  }
}
