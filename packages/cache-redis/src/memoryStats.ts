import type { CacheMemoryStats } from '@aiecs/executor';
import type { Redis } from 'ioredis';
import type { RunCommand } from './RedisGuard';
import { scanByPrefix } from './scanKeys';

/** Keys measured with `MEMORY USAGE` per call at most; with more, an evenly spread sample is measured. */
export const DEFAULT_STATS_SAMPLE = 500;
/** Commands per pipeline round trip. */
const BATCH = 500;

/** Every `step`-th of `items` (all of them when they fit in `size`). */
function evenSample<T>(items: readonly T[], size: number): readonly T[] {
  if (items.length <= size) return items;
  const step = items.length / size;
  return Array.from({ length: size }, (_, i) => items[Math.floor(i * step)]!);
}

/** Runs one command per key in pipelined batches; the replies in key order (a failed command: `null`). */
async function perKey<R>(
  run: RunCommand,
  keys: readonly Buffer[],
  add: (pipeline: ReturnType<Redis['pipeline']>, key: Buffer) => void,
): Promise<(R | null)[]> {
  const replies: (R | null)[] = [];
  for (let i = 0; i < keys.length; i += BATCH) {
    const batch = keys.slice(i, i + BATCH);
    const results =
      (await run((client) => {
        const pipeline = client.pipeline();
        for (const key of batch) add(pipeline, key);
        return pipeline.exec();
      })) ?? [];
    for (const [error, reply] of results) replies.push(error ? null : (reply as R));
  }
  return replies;
}

/**
 * Measures the entries under `prefix` (keys starting with `reserved`, the store's locks, excluded):
 * `entries` and `ttlEntries` exactly (SCAN, then `PTTL` of every key: O(entries) commands, pipelined);
 * `approxBytes` from Redis's own accounting, `MEMORY USAGE key SAMPLES 0` (key, value and per-key
 * overhead, as the server's allocator sees them), summed over every key when there are at most
 * `sampleSize`, else the mean of an evenly spread sample of `sampleSize` keys times `entries`.
 * Keys that expire between the scan and the measurement are not counted.
 */
export async function measureEntries(run: RunCommand, prefix: string, reserved: string, sampleSize: number): Promise<CacheMemoryStats> {
  const reservedBytes = Buffer.from(reserved);
  const unique = new Map<string, Buffer>();
  for await (const page of scanByPrefix(run, prefix)) {
    for (const key of page) if (!key.subarray(0, reservedBytes.length).equals(reservedBytes)) unique.set(key.toString('hex'), key);
  }
  const keys = [...unique.values()];
  const ttls = await perKey<number>(run, keys, (p, key) => p.pttl(key));
  const sample = evenSample(keys, sampleSize);
  const sizes = await perKey<number | null>(run, sample, (p, key) => p.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
  const measured = sizes.reduce<number>((sum, size) => sum + (typeof size === 'number' ? size : 0), 0);
  // PTTL -2: the key expired (or was deleted) after the scan saw it.
  const entries = ttls.filter((ttl) => ttl !== -2).length;
  const approxBytes = sample.length === 0 ? 0 : Math.round((measured / sample.length) * entries);
  return { entries, approxBytes, ttlEntries: ttls.filter((ttl) => typeof ttl === 'number' && ttl >= 0).length };
}
