/**
 * Heap bytes one `MemoryCacheStore` entry costs besides its key's characters and its value: the key
 * string's header, the LRU's Map entry, slot and pointer arrays, and the entry object. Calibrated on
 * Node 20 (64-bit, pointer compression) by `MemoryCacheStore.memory.test.ts`, which measures the
 * heap of 100,000 small entries with `--expose-gc` and checks the estimate against it (measured:
 * 198.5 B an entry with a 97-character key and a small-integer value, so ~100 B besides the key).
 */
export const ENTRY_OVERHEAD_BYTES = 100;

/** Objects and arrays `approxValueBytes` visits at most per value (a cost bound on a miss). */
const MAX_NODES = 1_000;

/**
 * Approximate heap bytes of a cached value, for `getMemoryStats`: strings their length plus a header,
 * numbers outside the small-integer range a heap number, objects and arrays a header and a slot per
 * property or item plus what they hold, up to `MAX_NODES` containers (beyond that, not counted).
 * Booleans, null, undefined and small integers are free (V8 shares or inlines them).
 */
export function approxValueBytes(value: unknown): number {
  if (typeof value !== 'object' || value === null) return primitiveBytes(value);
  let bytes = 0;
  let nodes = 0;
  const pending: object[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0 && nodes < MAX_NODES) {
    const node = pending.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    nodes++;
    const items: readonly unknown[] = Array.isArray(node) ? node : Object.values(node);
    bytes += 16 + 8 * items.length + (Array.isArray(node) ? 0 : 12 * items.length); // header, slots, keys' share
    for (const item of items) {
      if (typeof item === 'object' && item !== null) pending.push(item);
      else bytes += primitiveBytes(item);
    }
  }
  return bytes;
}

function primitiveBytes(value: unknown): number {
  if (typeof value === 'string') return 12 + value.length;
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 30 ? 0 : 12;
  if (typeof value === 'bigint') return 16;
  return 0;
}
