/**
 * A caller of a flight that may leave before the flight settles (a pipeline `Call` is one): it reports
 * leaving once, with a reason, and the subscription can be withdrawn.
 */
export interface FlightMember {
  /** Calls `listener(reason)` when the member leaves (at once if it already has); returns the unsubscribe function. */
  whenAborted(listener: (reason: unknown) => void): () => void;
}

/** What runs the shared execution and can stop it (the flight's own `Call`). */
export interface FlightOwner {
  abort(reason: unknown): unknown;
}

/**
 * One execution in flight and who waits on it. Per flight, not per member: the first member's
 * unsubscribe sits in a field, and the list for later members is created only when one joins.
 */
class Flight<T> {
  /** Members that have not left (a member without `whenAborted` never leaves). */
  waiting = 1;
  /** The first member's unsubscribe. */
  private first: (() => void) | undefined = undefined;
  /** Later members' unsubscribes; created by the first join only. */
  private others: Array<() => void> | undefined = undefined;

  constructor(
    private readonly flights: Map<string, Flight<unknown>>,
    private readonly key: string,
    readonly promise: Promise<T>,
    readonly owner: FlightOwner | undefined,
  ) {}

  /** Adds `member` (the first one when the flight starts); a member already gone leaves at once. */
  add(member: FlightMember | undefined, isFirst: boolean): void {
    if (member === undefined) return;
    const unsubscribe = member.whenAborted(this.leave);
    if (isFirst) this.first = unsubscribe;
    else (this.others ??= []).push(unsubscribe);
  }

  /** One member left (its own deadline or abort). The last one to leave stops the execution, with its reason. */
  readonly leave = (reason: unknown): void => {
    if (--this.waiting > 0) return;
    // Nobody waits any more: a later call must not join an execution being stopped (it would get a
    // stranger's abort reason), so it starts afresh.
    this.forget();
    this.owner?.abort(reason);
  };

  /** The execution settled: drop the entry and every subscription, so no listener outlives the flight. */
  readonly settled = (): void => {
    this.forget();
    this.first?.();
    this.first = undefined;
    const others = this.others;
    if (others !== undefined) {
      this.others = undefined;
      for (const unsubscribe of others) unsubscribe();
    }
  };

  /** Guarded so a settled or abandoned flight never removes a newer one registered under the same key. */
  private forget(): void {
    if (this.flights.get(this.key) === this) this.flights.delete(this.key);
  }
}

/**
 * Collapses concurrent calls with the same key into one execution ("single flight"), so a burst of
 * identical cache misses runs the operation once instead of stampeding the backend.
 * Only in-flight work is shared: the entry is dropped as soon as it settles, so errors are never cached
 * and a later call runs again.
 *
 * Members and owner: the execution should run under something of its own (its `owner`), not under
 * the first caller, so one caller leaving never fails the others. Each member reports leaving through
 * `whenAborted`; when the last member has left, the entry is dropped and `owner.abort(reason)` is called
 * with that member's reason. On settlement every member's subscription is withdrawn.
 */
export class SingleFlight {
  private readonly inFlight = new Map<string, Flight<unknown>>();

  /** Number of keys currently executing; exposed for tests and metrics. */
  get size(): number {
    return this.inFlight.size;
  }

  /**
   * Joins the execution running under `key` as `member` and returns its shared promise, or returns
   * `undefined` (allocating nothing) when none runs. A member without `whenAborted` never leaves.
   */
  /** The owner of the execution running under `key`, if any (the flight call the members' attempts run on). */
  ownerOf(key: string): FlightOwner | undefined {
    return this.inFlight.get(key)?.owner;
  }

  join<T>(key: string, member?: FlightMember): Promise<T> | undefined {
    const running = this.inFlight.get(key);
    if (running === undefined) return undefined;
    running.waiting++;
    running.add(member, false);
    return running.promise as Promise<T>;
  }

  /**
   * Registers `execution` under `key` with `member` as its first member (replacing any entry: call
   * `join` first) and returns the promise every member shares: `execution` itself.
   */
  start<T>(key: string, execution: Promise<T>, member?: FlightMember, owner?: FlightOwner): Promise<T> {
    const flight = new Flight(this.inFlight, key, execution, owner);
    this.inFlight.set(key, flight);
    // Registered before any member's own reaction, so a member sees its result with the entry gone.
    execution.then(flight.settled, flight.settled);
    flight.add(member, true);
    return execution;
  }

  /** Runs `fn`, or joins the execution already running under `key`, sharing its result or error. */
  run<T>(key: string, fn: () => Promise<T>, member?: FlightMember, owner?: FlightOwner): Promise<T> {
    const running = this.join<T>(key, member);
    if (running !== undefined) return running;
    let started: Promise<T>;
    try {
      started = Promise.resolve(fn());
    } catch (error) {
      // A synchronous throw is reported like a rejection, and never registered.
      return Promise.reject(error);
    }
    return this.start(key, started, member, owner);
  }
}
