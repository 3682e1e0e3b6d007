// Redis rows: a pipeline hit on the Redis store against a raw ioredis GET of the same bytes, and the store's
// get alone; compare with the `hit` row (the in-memory store). They need a Redis: BENCH_REDIS_URL or
// AIECS_REDIS_URL, else a redis-server this process starts on a free port; with neither they are skipped.
import { DEFAULT_TIMINGS, failFastOptions, RedisCacheStore } from '@aiecs/cache-redis';
import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { RedisServerProcess, redisServerInstalled } from '../../../packages/cache-redis/test/redisTestServer';
import type { CaseDef } from '../harness';
import { pinToOneCpu } from '../pinning';
import { CALL_CONTEXT, EXPECTED, PIPELINE_CONFIG, PipelineTool, SAME_INPUT } from '../fixtures';

const PREFIX = `bench:${process.pid}:`;

/** A Redis URL given by the environment, if any. */
const givenUrl = process.env.BENCH_REDIS_URL ?? process.env.AIECS_REDIS_URL;

/** True when `url` answers PING within 2 s (asked from a child process: this check runs at import time, synchronously). */
function answers(url: string): boolean {
  const probe = `const net=require('node:net');const u=new URL(process.argv[1]);const s=net.connect(+u.port||6379,u.hostname,()=>s.write('PING\\r\\n'));s.on('data',d=>process.exit(String(d).startsWith('+PONG')?0:1));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),2000);`;
  return spawnSync(process.execPath, ['-e', probe, url], { timeout: 3_000 }).status === 0;
}

/**
 * Whether the rows can run, decided once by the bench's parent process and inherited by the case
 * processes it forks (through the environment), so the probe runs once per bench.
 */
function redisAvailability(): 'given' | 'own' | 'none' {
  const decided = process.env.AIECS_BENCH_REDIS;
  if (decided === 'given' || decided === 'own' || decided === 'none') return decided;
  const availability = givenUrl !== undefined ? (answers(givenUrl) ? 'given' : 'none') : redisServerInstalled() ? 'own' : 'none';
  process.env.AIECS_BENCH_REDIS = availability;
  if (availability === 'none') {
    console.error(
      `redis rows skipped: ${givenUrl ? `no answer from ${givenUrl}` : 'no Redis (set BENCH_REDIS_URL or install redis-server)'}`,
    );
  }
  return availability;
}

/** The Redis to measure against; a server this process started is stopped when the process exits. */
async function redisUrl(): Promise<string> {
  if (givenUrl !== undefined) return givenUrl;
  // This process and its server on one CPU (the server inherits the binding): see pinning.ts.
  if (!pinToOneCpu()) console.error('redis rows: taskset is missing, so this row is NOT pinned to one CPU');
  const server = await RedisServerProcess.start();
  process.once('exit', () => void server.stop());
  // The harness ends row processes with SIGTERM, which skips 'exit' handlers: exit properly, so the
  // server is stopped rather than left running after the bench.
  process.once('SIGTERM', () => process.exit(143));
  return server.url;
}

/** A tool on a Redis store after one miss, the store, and the one key that miss wrote. */
async function hitOnRedis(): Promise<{ tool: PipelineTool; store: RedisCacheStore; key: string; url: string }> {
  const url = await redisUrl();
  const store = new RedisCacheStore({ url, prefix: PREFIX });
  await store.ready();
  await store.clear();
  const tool = new PipelineTool({ ...PIPELINE_CONFIG, cacheStore: store });
  await tool.run('add', SAME_INPUT, CALL_CONTEXT); // the only miss: every measured call hits
  const raw = new Redis(url);
  const [key, ...others] = await raw.keys(`${PREFIX}*`);
  await raw.quit();
  if (key === undefined || others.length > 0) throw new Error(`expected one entry under ${PREFIX}, found ${others.length + (key ? 1 : 0)}`);
  return { tool, store, key, url };
}

const cases: readonly CaseDef[] = [
  {
    name: 'redis: raw ioredis getBuffer (same bytes)',
    create: async () => {
      const { key, url } = await hitOnRedis();
      const client = new Redis(url);
      const bytes = await client.getBuffer(key);
      return { fn: () => client.getBuffer(key), verify: () => (bytes === null ? 'the entry is missing' : undefined) };
    },
  },
  {
    // The store's client options (fail-fast; no per-command timeout: the store's StallWatchdog bounds a hung
    // server without a Node timer per command), no store code: splits what the client configuration costs
    // from what the store's own code costs.
    name: "redis: raw getBuffer, the store's client options",
    create: async () => {
      const { key, url } = await hitOnRedis();
      const client = new Redis(url, failFastOptions(DEFAULT_TIMINGS));
      if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
      const bytes = await client.getBuffer(key);
      return { fn: () => client.getBuffer(key), verify: () => (bytes === null ? 'the entry is missing' : undefined) };
    },
  },
  {
    name: 'redis: RedisCacheStore.get hit',
    create: async () => {
      const { store, key } = await hitOnRedis();
      const storeKey = key.slice(PREFIX.length);
      return { fn: () => store.get(storeKey), expect: EXPECTED };
    },
  },
  {
    name: 'redis: hit, run()',
    create: async () => {
      const { tool } = await hitOnRedis();
      return {
        fn: () => tool.run('add', SAME_INPUT, CALL_CONTEXT),
        expect: EXPECTED,
        verify: () => {
          const counters = tool.executor.getMetrics().byOperation['add'];
          // A read past cacheTimeoutMs (50 ms: a GC pause, a slow host phase) is a miss by design; every
          // miss beyond the first must be one of those, and no call may fail.
          const ok = counters !== undefined && counters.failures === 0 && counters.cacheMisses - 1 <= counters.cacheErrors;
          return ok ? undefined : `expected 1 miss (plus one per bounded read) and no failure, got ${JSON.stringify(counters)}`;
        },
      };
    },
  },
];

/** The Redis rows, or none (with a message) when no Redis can be reached. */
export const redisCases: readonly CaseDef[] = redisAvailability() === 'none' ? [] : cases;
