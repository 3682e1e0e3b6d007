import { SingleFlight } from './SingleFlight';

/** A promise whose settlement the test controls. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
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
});
