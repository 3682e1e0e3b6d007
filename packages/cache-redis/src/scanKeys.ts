import type { RunCommand } from './RedisGuard';

/** Keys SCAN is asked for per step (a hint to Redis; it bounds each step's work, not the total). */
const SCAN_COUNT = 1000;

/** `text` as a literal in a Redis glob pattern: `*`, `?`, `[`, `]` and `\` escaped (keys hold `"` and `\n`, which need none). */
export function globLiteral(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => '\\' + c);
}

/**
 * Every key starting with `prefix`, one SCAN page at a time (never `KEYS`, which blocks the server on a
 * large keyspace). SCAN may report a key twice across pages; callers tolerate it (UNLINK, counting into
 * a Set). Keys are read as Buffers: a key's bytes may not be valid UTF-8. Each SCAN step is a command of
 * its own through `run` (the guard bounds commands, not loops).
 */
export async function* scanByPrefix(run: RunCommand, prefix: string): AsyncGenerator<Buffer[]> {
  const pattern = globLiteral(prefix) + '*';
  let cursor = '0';
  do {
    const [next, keys] = await run((client) => client.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT));
    cursor = next.toString();
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}
