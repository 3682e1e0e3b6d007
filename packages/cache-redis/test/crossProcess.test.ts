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
