import { deferred } from '../concerns/concern.testkit';
import { SingleFlight, type FlightMember } from './SingleFlight';

/** A member that leaves when the test says so, counting its live subscriptions. */
function member(): FlightMember & { leave(reason: unknown): void; readonly listeners: Set<(reason: unknown) => void> } {
  const listeners = new Set<(reason: unknown) => void>();
  let gone: { reason: unknown } | undefined;
  return {
    listeners,
    whenAborted(listener) {
      if (gone !== undefined) {
        listener(gone.reason);
        return () => undefined;
      }
      const own = (reason: unknown): void => listener(reason);
      listeners.add(own);
      return () => void listeners.delete(own);
    },
    leave(reason) {
      gone = { reason };
      const all = [...listeners];
      listeners.clear();
      for (const listener of all) listener(reason);
    },
  };
}

describe('SingleFlight', () => {
  it('runs fn once for 10 concurrent identical calls and gives everyone the value', async () => {
    const flight = new SingleFlight();
    const gate = deferred<string>();
    const fn = jest.fn(() => gate.promise);
    const calls = Array.from({ length: 10 }, () => flight.run('k', fn));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(flight.size).toBe(1);
    gate.resolve('value');
    await expect(Promise.all(calls)).resolves.toEqual(Array(10).fill('value'));
    expect(flight.size).toBe(0);
  });

  it('shares an error with every waiter, then forgets it so the next call runs again', async () => {
    const flight = new SingleFlight();
    const gate = deferred<number>();
    const failing = jest.fn(() => gate.promise);
    const calls = Array.from({ length: 5 }, () => flight.run('k', failing));
    const boom = new Error('boom');
    gate.reject(boom);
    const results = await Promise.allSettled(calls);
    expect(results.every((r) => r.status === 'rejected' && r.reason === boom)).toBe(true);
    expect(failing).toHaveBeenCalledTimes(1);
    expect(flight.size).toBe(0);

    const retry = jest.fn(async () => 42);
    await expect(flight.run('k', retry)).resolves.toBe(42);
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('runs different keys separately', async () => {
    const flight = new SingleFlight();
    const a = jest.fn(async () => 'a');
    const b = jest.fn(async () => 'b');
    const results = await Promise.all([flight.run('a', a), flight.run('b', b), flight.run('a', a)]);
    expect(results).toEqual(['a', 'b', 'a']);
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
  });

  it('does not cache results: a call after settlement runs fn again', async () => {
    const flight = new SingleFlight();
    let n = 0;
    const fn = async () => ++n;
    await expect(flight.run('k', fn)).resolves.toBe(1);
    await expect(flight.run('k', fn)).resolves.toBe(2);
  });

  it('turns a synchronous throw into a rejection and registers nothing', async () => {
    const flight = new SingleFlight();
    const fn = (): Promise<never> => {
      throw new TypeError('sync');
    };
    await expect(flight.run('k', fn)).rejects.toThrow('sync');
    expect(flight.size).toBe(0);
  });

  describe('members and owner', () => {
    it('join returns undefined when nothing runs under the key', () => {
      expect(new SingleFlight().join('k', member())).toBeUndefined();
    });

    it('aborts the owner only when every member has left, with the reason of the last one', async () => {
      const flight = new SingleFlight();
      const gate = deferred<string>();
      const owner = { abort: jest.fn() };
      const [a, b, c] = [member(), member(), member()];
      const shared = flight.run('k', () => gate.promise, a, owner);
      expect(flight.join('k', b)).toBe(shared);
      a.leave('a');
      expect(flight.join('k', c)).toBe(shared);
      b.leave('b');
      expect(owner.abort).not.toHaveBeenCalled();
      expect(flight.size).toBe(1);
      c.leave('c');
      expect(owner.abort).toHaveBeenCalledTimes(1);
      expect(owner.abort).toHaveBeenCalledWith('c');
      // Being stopped, it is no longer joined: the next call starts afresh.
      expect(flight.size).toBe(0);
      const fresh = jest.fn(async () => 'fresh');
      await expect(flight.run('k', fresh, member())).resolves.toBe('fresh');
      expect(fresh).toHaveBeenCalledTimes(1);
      gate.resolve('late');
      await expect(shared).resolves.toBe('late');
    });

    it('a member without whenAborted never leaves, so the owner is never aborted', async () => {
      const flight = new SingleFlight();
      const gate = deferred<string>();
      const owner = { abort: jest.fn() };
      const a = member();
      void flight.run('k', () => gate.promise, a, owner);
      void flight.join('k');
      a.leave('a');
      expect(owner.abort).not.toHaveBeenCalled();
      gate.resolve('v');
    });

    it('withdraws every subscription when the flight settles, and the abandoned flight never removes a newer one', async () => {
      const flight = new SingleFlight();
      const members = [member(), member(), member()];
      const gate = deferred<string>();
      const shared = flight.run('k', () => gate.promise, members[0]);
      for (const m of members.slice(1)) flight.join('k', m);
      expect(members.map((m) => m.listeners.size)).toEqual([1, 1, 1]);
      gate.reject(new Error('boom'));
      await expect(shared).rejects.toThrow('boom');
      expect(members.map((m) => m.listeners.size)).toEqual([0, 0, 0]);

      const old = deferred<string>();
      const alone = member();
      const abandoned = flight.run('k', () => old.promise, alone, { abort: () => undefined });
      alone.leave('gone');
      const newer = deferred<string>();
      const current = flight.run('k', () => newer.promise, member());
      old.resolve('old');
      await abandoned;
      expect(flight.size).toBe(1);
      expect(flight.join('k', member())).toBe(current);
      newer.resolve('new');
      await current;
      expect(flight.size).toBe(0);
    });

    it('a first member that already left aborts the owner at once', () => {
      const flight = new SingleFlight();
      const owner = { abort: jest.fn() };
      const a = member();
      a.leave('early');
      void flight.run('k', () => new Promise<never>(() => {}), a, owner);
      expect(owner.abort).toHaveBeenCalledWith('early');
      expect(flight.size).toBe(0);
    });
  });
});
