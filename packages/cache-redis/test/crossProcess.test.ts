// Two replicas (child processes) on one Redis: one's result is the other's hit, and concurrent identical
// misses run the method once across both.
import { Redis } from 'ioredis';
import { types } from 'node:util';
import { Replica } from './fixtures/replica';
import { describeWithRedis, redisForTests, type RedisForTests } from './redisTestServer';

jest.setTimeout(120_000);

describeWithRedis('two processes sharing one Redis', () => {
  let redis: RedisForTests;
  let prefix: string;
  let replicas: Replica[] = [];

  beforeAll(async () => {
    redis = await redisForTests();
    prefix = redis.prefix();
    replicas = await Promise.all([Replica.start(redis.url, prefix), Replica.start(redis.url, prefix)]);
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    const raw = new Redis(redis.url);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.unlink(...keys);
    await raw.quit();
    await redis?.release();
  });

  it('the second process hits the entry the first one stored (typed values intact)', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const input = { query: 'shared-hit', delayMs: 10 };
    const first = await a.run(input);
    const second = await b.run(input);
    expect(first.error).toBeUndefined();
    expect(second.runs).toBe(0); // B never ran the method
    expect(second.hits).toBe(1);
    expect(second.value).toStrictEqual(first.value);
    // By tag: the IPC copy is built in Node's realm, not in the test's vm context.
    expect(types.isDate((second.value as { at: Date }).at)).toBe(true);
    expect(types.isMap((second.value as { hits: Map<string, number> }).hits)).toBe(true);
    expect((second.value as { hits: Map<string, number> }).hits.get('shared-hit')).toBe(10);
  });

  it('concurrent identical misses in the two processes run the method once', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const before = (await Promise.all([a.run({ query: 'warm', delayMs: 0 }), b.run({ query: 'warm', delayMs: 0 })])).map((r) => r.runs);
    const input = { query: 'single-flight', delayMs: 600 };
    const [ra, rb] = await Promise.all([a.run(input), b.run(input)]);
    expect(ra.error).toBeUndefined();
    expect(rb.error).toBeUndefined();
    const executions = ra.runs - before[0]! + (rb.runs - before[1]!);
    expect(executions).toBe(1);
    expect(ra.value).toStrictEqual(rb.value);
    // The waiter got the result when the holder finished, not a poll interval or a lock TTL later.
    expect(Math.max(ra.ms!, rb.ms!)).toBeLessThan(600 + 1_000);
  });
});

describeWithRedis('two processes whose flight locks are shorter than the method', () => {
  const LOCK_TTL_MS = 300;
  let redis: RedisForTests;
  let raw: Redis;
  let prefix: string;
  let replicas: Replica[] = [];

  beforeAll(async () => {
    redis = await redisForTests();
    raw = new Redis(redis.url);
    prefix = redis.prefix();
    const env = { FLIGHT_LOCK_TTL_MS: String(LOCK_TTL_MS) };
    replicas = await Promise.all([Replica.start(redis.url, prefix, env), Replica.start(redis.url, prefix, env)]);
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.unlink(...keys);
    await raw.quit();
    await redis?.release();
  });

  /** The flight locks held now (their Redis keys). */
  const heldLocks = (): Promise<string[]> => raw.keys(`${prefix}aiecs:lock:*`);

  it('a method running 1 s under a 300 ms lock runs once: the holder extends its lock until it finishes', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const before = (await Promise.all([a.run({ query: 'warm', delayMs: 0 }), b.run({ query: 'warm', delayMs: 0 })])).map((r) => r.runs);
    const input = { query: 'slower-than-its-lock', delayMs: 1_000 };
    const [ra, rb] = await Promise.all([a.run(input), b.run(input)]);
    expect(ra.error).toBeUndefined();
    expect(rb.error).toBeUndefined();
    expect(ra.runs - before[0]! + (rb.runs - before[1]!)).toBe(1);
    expect(ra.value).toStrictEqual(rb.value);
    expect(await heldLocks()).toEqual([]); // released at the end, not left to expire
  });

  it("a killed holder's lock is no longer extended and expires at its TTL", async () => {
    const holder = replicas[0]!;
    void holder.run({ query: 'crashes-while-holding', delayMs: 30_000 });
    let locks: string[] = [];
    for (let i = 0; i < 200 && locks.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      locks = await heldLocks();
    }
    expect(locks).toHaveLength(1);
    // Alive, the holder keeps its lock well past one TTL.
    await new Promise((resolve) => setTimeout(resolve, LOCK_TTL_MS * 3));
    expect(await heldLocks()).toEqual(locks);
    await holder.kill();
    const left = await raw.pttl(locks[0]!);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(LOCK_TTL_MS);
    while ((await raw.exists(locks[0]!)) === 1) await new Promise((resolve) => setTimeout(resolve, 20));
    // Gone: the next process to miss takes the lock and runs the method.
    const rb = await replicas[1]!.run({ query: 'crashes-while-holding', delayMs: 0 });
    expect(rb.error).toBeUndefined();
    expect(rb.runs).toBeGreaterThanOrEqual(1);
  });
});
