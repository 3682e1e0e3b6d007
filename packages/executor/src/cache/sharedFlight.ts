import { handOff, isPrimitive, prepareForCache } from './cachedResults';
import type { CacheStore, FlightLocks } from './CacheStore';
import type { FlightMember } from './SingleFlight';

/** What the cross-process flight needs of the flight's own call: whether (and why) it was stopped. */
export interface StoppableFlight extends FlightMember {
  readonly aborted: boolean;
  readonly abortReason: unknown;
}

/** Lock lifetime when the operation has no overall timeout: a holder that dies blocks the key this long at most. */
export const DEFAULT_FLIGHT_LOCK_TTL_MS = 30_000;

/**
 * An entry another process stored, handed to the callers of this process's flight the way the
 * `cacheStore` stage hands a fresh result: one caller gets the value read (its own copy, fresh from the
 * store), the others a frozen or cloned copy. A value that cannot be copied is handed to all as is.
 */
function shareRemoteResult(value: unknown): unknown {
  if (isPrimitive(value)) return value;
  const prepared = prepareForCache(value as object);
  if (prepared.kind === 'uncacheable') return value;
  handOff(prepared.value as object, value, prepared.kind === 'cloned');
  return prepared.value;
}

/** Waits for the lock's release (or the store's poll interval), or until `flight` is stopped. */
function waitOrStop(locks: FlightLocks, key: string, flight: StoppableFlight): Promise<void> {
  const wait = locks.waitForRelease(key);
  return new Promise<void>((resolve) => {
    const unsubscribe = flight.whenAborted(() => {
      wait.cancel();
      resolve();
    });
    wait.promise.then(() => {
      unsubscribe();
      resolve();
    });
  });
}

/** The entry under `key`, or `undefined` on a miss; a store that fails answers `failed`. */
async function readEntry(cache: CacheStore, key: string): Promise<{ readonly value: unknown } | 'failed'> {
  try {
    return { value: await cache.get(key) };
  } catch {
    return 'failed';
  }
}

/**
 * Runs `run` once across every process sharing `locks`' store: the process that takes the key's lock
 * runs it (the `cacheStore` stage below stores its result) and then releases the lock, which wakes the
 * waiters; a process that finds the lock taken waits for that wake-up (or polls, at the store's
 * interval) and reads the entry. No entry after the release (the holder failed, or its result was not
 * cacheable) → the next process to take the lock runs it. After taking the lock the entry is read once
 * more, so a process whose lookup missed just before another process stored the entry does not run it
 * again.
 *
 * Fails open: when the store rejects (Redis unreachable, breaker open), the method runs here, guarded
 * by the in-process single-flight only. A waiter stops when `flight` is stopped (every caller left: its
 * own deadline or abort); the lock's TTL bounds how long a dead holder blocks the others.
 *
 * Ordering: `release` is sent after `run` settled, and `run` settles after the store stage issued its
 * `set`; a store that sends both on one connection (the Redis store does) makes the entry visible
 * before the waiters are woken.
 */
export async function runSharedFlight<T>(
  locks: FlightLocks,
  cache: CacheStore,
  key: string,
  lockTtlMs: number,
  flight: StoppableFlight,
  run: () => Promise<T>,
): Promise<T> {
  for (;;) {
    if (flight.aborted) throw flight.abortReason;
    let token: string | undefined;
    try {
      token = await locks.acquire(key, lockTtlMs);
    } catch {
      return run();
    }
    if (token !== undefined) return holdAndRun(locks, cache, key, token, run);
    await waitOrStop(locks, key, flight);
    if (flight.aborted) throw flight.abortReason;
    const entry = await readEntry(cache, key);
    if (entry === 'failed') return run();
    if (entry.value !== undefined) return shareRemoteResult(entry.value) as T;
  }
}

/** Holding the lock: read the entry once more (stored meanwhile?), else run; release either way. */
async function holdAndRun<T>(locks: FlightLocks, cache: CacheStore, key: string, token: string, run: () => Promise<T>): Promise<T> {
  try {
    const entry = await readEntry(cache, key);
    if (entry !== 'failed' && entry.value !== undefined) return shareRemoteResult(entry.value) as T;
    return await run();
  } finally {
    // Never awaited by the callers: a failing release only leaves the lock to expire at its TTL.
    locks.release(key, token).catch(() => undefined);
  }
}
