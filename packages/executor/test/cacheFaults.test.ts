import { CacheResult, TimeoutError } from '@aiecs/core';
import { BaseTool, type CacheStore } from '../src';
import { recordingLogger } from './fixtures';

/** A realistic result: three fields, one a 10-element array of small objects. */
interface Order {
  id: number;
  customer: string;
  items: Array<{ sku: string; qty: number }>;
}

class Orders extends BaseTool {
  runs = 0;
  gate: Promise<void> | undefined;

  @CacheResult({ ttlMs: 60_000 })
  async order(input: { id: number }): Promise<Order> {
    this.runs++;
    if (this.gate) await this.gate;
    return { id: input.id, customer: 'c-1', items: Array.from({ length: 10 }, (_, i) => ({ sku: `sku-${i}`, qty: i })) };
  }

  @CacheResult({ ttlMs: 60_000 })
  async count(input: { id: number }): Promise<number> {
    this.runs++;
    return input.id * 2;
  }
}

/** A store whose `get` the test decides; writes go to a Map. */
function storeWith(get: (key: string) => unknown): CacheStore & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  return {
    entries,
    get,
    set: (key, value) => void entries.set(key, value),
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
    close: () => undefined,
  };
}

const hanging = () => new Promise<never>(() => {});

describe('a failing cache store fails open, within a bound', () => {
  it('settles a call whose store get hangs, as a miss: the method runs', async () => {
    const tool = new Orders({ logger: recordingLogger(), timeoutMs: 100, cacheStore: storeWith(hanging) });
    const started = performance.now();
    await expect(tool.run('count', { id: 2 })).resolves.toBe(4);
    expect(performance.now() - started).toBeLessThan(400); // ~50 ms (cacheTimeoutMs); exact bounds: cacheLookup.test.ts
    expect(tool.runs).toBe(1);
    await tool.close();
  });

  it('a get that takes 2 s costs the call at most cacheTimeoutMs, then the call is a miss', async () => {
    const slow = () => new Promise((resolve) => setTimeout(() => resolve(-1), 2000).unref());
    const tool = new Orders({ logger: recordingLogger(), cacheTimeoutMs: 30, cacheStore: storeWith(slow) });
    const started = performance.now();
    await expect(tool.run('count', { id: 2 })).resolves.toBe(4);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(25);
    expect(elapsed).toBeLessThan(500);
    await tool.close();
  });

  it.each([
    ['rejects', () => Promise.reject(new Error('store down'))],
    [
      'throws',
      () => {
        throw new Error('store down');
      },
    ],
  ])('treats a get that %s as a miss', async (_how, get) => {
    const tool = new Orders({ logger: recordingLogger(), cacheStore: storeWith(get) });
    await expect(tool.run('count', { id: 3 })).resolves.toBe(6);
    expect(tool.runs).toBe(1);
    await tool.close();
  });

  it("lets the call's own deadline bound the lookup", async () => {
    const tool = new Orders({ logger: recordingLogger(), cacheTimeoutMs: 5000, cacheStore: storeWith(hanging) });
    const started = performance.now();
    const [outcome] = await Promise.allSettled([tool.run('count', { id: 2 }, { deadlineMs: Date.now() + 30 })]);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(25);
    expect(elapsed).toBeLessThan(1000);
    // The lookup used up the deadline: the call goes on as a miss, and its deadline is then due.
    if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(TimeoutError);
    else expect(outcome.value).toBe(4);
    await tool.close();
  });

  it('counts every failing call but logs once per outage; the first success ends the outage', async () => {
    let down = true;
    const store = storeWith(() => (down ? Promise.reject(new Error('connection refused')) : Promise.resolve(undefined)));
    const logger = recordingLogger();
    const tool = new Orders({ logger, cacheStore: store });
    const other = new Orders({ logger, cacheStore: store }); // shares the store, and so its health
    await tool.run('count', { id: 1 });
    await tool.run('count', { id: 2 });
    await other.run('count', { id: 3 });
    const warnings = () => logger.lines.filter((line) => line.level === 'warn' && /cache get/.test(line.message));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.message).toMatch(/cache get is failing; calls go on as cache misses/);
    expect(warnings()[0]!.fields).toMatchObject({ error: 'Error: connection refused' });
    expect(tool.executor.getMetrics().cacheErrors).toBe(2);
    expect(other.executor.getMetrics().cacheErrors).toBe(1);

    down = false;
    await tool.run('count', { id: 4 });
    down = true;
    await tool.run('count', { id: 5 });
    expect(warnings()).toHaveLength(2);
    expect(tool.executor.getMetrics().cacheErrors).toBe(3);
    await Promise.all([tool.close(), other.close()]);
  });

  it('never fails a call whose store set fails', async () => {
    const store = storeWith(() => undefined);
    store.set = () => Promise.reject(new Error('read-only'));
    const tool = new Orders({ logger: recordingLogger(), cacheStore: store });
    await expect(tool.run('count', { id: 1 })).resolves.toBe(2);
    await tool.close();
  });
});

describe('cached results are not shared mutable objects', () => {
  it('a hit is frozen: mutating it throws a TypeError and the next hit is unchanged', async () => {
    const tool = new Orders({ logger: recordingLogger() });
    await tool.run('order', { id: 1 });
    const hit = await tool.run('order', { id: 1 });
    expect(tool.runs).toBe(1);
    expect(() => {
      hit.customer = 'mallory';
    }).toThrow(TypeError);
    expect(() => {
      hit.items[0]!.qty = 1000;
    }).toThrow(TypeError);
    expect(() => hit.items.push({ sku: 'x', qty: 1 })).toThrow(TypeError);
    const again = await tool.run('order', { id: 1 });
    expect(again.customer).toBe('c-1');
    expect(again.items).toHaveLength(10);
    expect(again.items[0]!.qty).toBe(0);
    await tool.close();
  });

  it('the miss caller gets its own mutable original, and its changes never reach the cache', async () => {
    const tool = new Orders({ logger: recordingLogger() });
    const mine = await tool.run('order', { id: 1 });
    expect(Object.isFrozen(mine)).toBe(false);
    mine.customer = 'changed';
    mine.items.length = 0;
    const hit = await tool.run('order', { id: 1 });
    expect(hit.customer).toBe('c-1');
    expect(hit.items).toHaveLength(10);
    await tool.close();
  });

  it('callers sharing one flight never receive the same mutable object', async () => {
    const tool = new Orders({ logger: recordingLogger() });
    let open!: () => void;
    tool.gate = new Promise<void>((resolve) => (open = resolve));
    const first = tool.run('order', { id: 1 });
    const second = tool.run('order', { id: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    open();
    const [a, b] = await Promise.all([first, second]);
    expect(tool.runs).toBe(1);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    const mutable = [a, b].filter((result) => !Object.isFrozen(result));
    expect(mutable.length).toBeLessThanOrEqual(1);
    for (const result of mutable) result.items[0]!.qty = 99;
    const hit = await tool.run('order', { id: 1 });
    expect(hit.items[0]!.qty).toBe(0);
    expect([a, b].every((result) => result.items[0]!.qty === (Object.isFrozen(result) ? 0 : 99))).toBe(true);
    await tool.close();
  });
});
