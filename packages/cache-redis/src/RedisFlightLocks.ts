import type { FlightLocks, Logger } from '@aiecs/executor';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { FlightLockRenewals } from './FlightLockRenewals';
import { closeClient, type RedisGuard } from './RedisGuard';

/**
 * Deletes the lock only if it still holds the caller's token (a holder whose lock expired and was taken
 * by another process must not release the new holder's), then wakes the waiters of every process.
 * One script, so no other command runs between the check and the delete.
 */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0`;

type ReleasingClient = Redis & { aiecsReleaseFlight(lockKey: string, token: string, channel: string, key: string): Promise<number> };

/** Where the locks live: `<prefix>aiecs:lock:<cache key>`, and the channel that announces releases. */
export interface FlightLockNames {
  readonly lockPrefix: string;
  readonly channel: string;
}

/**
 * Cross-process single-flight locks on Redis: `SET lock token NX PX ttl` takes a key's lock with a random
 * token (the fencing value) and a TTL, so a holder that dies releases it at the TTL; release is the
 * compare-and-delete script above, which publishes the key on one channel per store prefix. Waiters
 * subscribe to that channel (one subscriber connection per store, opened on first wait) and are woken by
 * the message; a lost message (subscriber reconnecting, Redis restarted) costs at most one poll interval,
 * after which the waiter reads the entry and, if it is still missing, tries the lock again.
 *
 * While the holder's execution runs, its lock is extended every `ttl / 3` (see `FlightLockRenewals`),
 * so a method slower than the TTL still runs once; the extensions stop at `release` (which the pipeline
 * calls when the execution settles, whatever its outcome) and with the process, so a crashed holder's
 * lock expires at most one TTL after its last extension.
 */
export class RedisFlightLocks implements FlightLocks {
  private readonly waiters = new Map<string, Set<() => void>>();
  private subscriber: Redis | undefined;
  private readonly renewals: FlightLockRenewals;

  /** `logger` is told when a held lock is lost before its release (one warning per lock). */
  constructor(
    private readonly client: Redis,
    private readonly guard: RedisGuard,
    private readonly names: FlightLockNames,
    private readonly pollMs: number,
    logger: Logger,
  ) {
    client.defineCommand('aiecsReleaseFlight', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.renewals = new FlightLockRenewals(client, guard, logger);
  }

  /** Locks this process holds and keeps extending now (for tests and diagnostics). */
  get heldLocks(): number {
    return this.renewals.size;
  }

  /**
   * Takes `key`'s lock for `ttlMs` and keeps extending it until `release`; its token, or `undefined` when
   * another process holds it.
   */
  acquire(key: string, ttlMs: number): Promise<string | undefined> {
    this.subscribe(); // before anyone waits, so the first release message is not missed
    const token = randomUUID();
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const lockKey = this.names.lockPrefix + key;
    return this.guard.run(async (client) => {
      if ((await client.set(lockKey, token, 'PX', ttl, 'NX')) !== 'OK') return undefined;
      this.renewals.start(lockKey, token, ttl);
      return token;
    });
  }

  /** Stops extending `key`'s lock, releases it if `token` holds it, and wakes the waiters in every process. */
  async release(key: string, token: string): Promise<void> {
    this.renewals.stop(token);
    await this.guard.run((client) =>
      (client as ReleasingClient).aiecsReleaseFlight(this.names.lockPrefix + key, token, this.names.channel, key),
    );
  }

  /** Resolves on the release message for `key`, after `pollMs` at the latest, or never after `cancel`. */
  waitForRelease(key: string): { readonly promise: Promise<void>; cancel(): void } {
    this.subscribe();
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => (wake = resolve));
    const timer = setTimeout(() => done(), this.pollMs);
    timer.unref();
    const done = (): void => {
      clearTimeout(timer);
      const set = this.waiters.get(key);
      set?.delete(done);
      if (set?.size === 0) this.waiters.delete(key);
      wake();
    };
    let set = this.waiters.get(key);
    if (set === undefined) this.waiters.set(key, (set = new Set()));
    set.add(done);
    return { promise, cancel: done };
  }

  /** Stops every extension, wakes every waiter and closes the subscriber connection. */
  async close(): Promise<void> {
    this.renewals.stopAll();
    for (const set of [...this.waiters.values()]) for (const done of [...set]) done();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber !== undefined) await closeClient(subscriber, this.guard.commandTimeoutMs);
  }

  /**
   * Opens the subscriber on first use. Unlike the command connection it queues its one command (SUBSCRIBE)
   * until connected, and it resubscribes after reconnecting.
   */
  private subscribe(): void {
    if (this.subscriber !== undefined) return;
    const subscriber = (this.subscriber = this.client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null }));
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel: string, key: string) => {
      const set = this.waiters.get(key);
      if (set !== undefined) for (const done of [...set]) done();
    });
    subscriber.subscribe(this.names.channel).catch(() => undefined);
  }
}
