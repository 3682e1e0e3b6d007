// Memory per cached entry and memory retained after clear(), measured in a process of its own started with
// --expose-gc (the bench's node flags): the framework's cache (a full-pipeline tool, realistic input, a
// number result) against the hand-written stacks' caches (mnemonist LRUMap, lru-cache).
import { MemoryCacheStore } from '@aiecs/executor';
import { CALL_CONTEXT, PIPELINE_CONFIG, PipelineTool, uniqueInputs } from '../fixtures';
import { pipelineToolFor, REALISTIC } from '../inputs';
import { classValidatorStack, zodStack, type Stack } from './handwritten';

/** One cache's figures. */
export interface CacheMemory {
  readonly name: string;
  readonly entries: number;
  /** Heap growth per entry once every entry is stored (after full GCs), in bytes. */
  readonly bytesPerEntry: number;
  /** Share of that growth still held after clear(), 0..1. */
  readonly retainedAfterClear: number;
  /** `getMemoryStats().approxBytes` / entries, for the framework's store (its estimate next to the measurement). */
  readonly approxBytesPerEntry?: number;
}

export interface MemoryResult {
  readonly caches: readonly CacheMemory[];
}

/** Entries per cache: enough for per-entry figures to dwarf the heap's noise (~100 kB). */
const ENTRIES = 20_000;

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the memory job needs --expose-gc (npm run bench passes it)');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Longer than any per-call timer of the stacks (1 s per-attempt timeouts: `AbortSignal.timeout` keeps its signal until it fires). */
const SETTLE_MS = 1_200;
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

async function measureCache(
  name: string,
  fill: () => Promise<void>,
  clear: () => void | Promise<void>,
  approx?: () => number,
): Promise<CacheMemory> {
  await settle();
  const before = heapUsed();
  await fill();
  await settle();
  const filled = heapUsed();
  const approxBytes = approx?.();
  await clear();
  // Measured after the same pause as the other two points: right after a clear, V8's concurrent sweeping of
  // the freed pages may not be done, and heapUsed then still counts them (one bench read 43 % released, its
  // reruns 98 %).
  await settle();
  const cleared = heapUsed();
  const grown = filled - before;
  return {
    name,
    entries: ENTRIES,
    bytesPerEntry: grown / ENTRIES,
    retainedAfterClear: Math.max(0, cleared - before) / grown,
    ...(approxBytes === undefined ? {} : { approxBytesPerEntry: approxBytes / ENTRIES }),
  };
}

async function fillStack(stack: Stack): Promise<void> {
  const next = REALISTIC.fresh();
  const { userId, taskId } = CALL_CONTEXT as { userId: string; taskId: string };
  for (let i = 0; i < ENTRIES; i++) await stack.call(next(), userId, taskId);
}

/** The framework's cache, filled through `tool.run` misses, then emptied with `clearCache()`. */
async function measureTool(
  name: string,
  tool: { run(op: string, input: object, ctx: object): Promise<unknown>; executor: { clearCache(): Promise<void> } },
  op: string,
  next: () => object,
  store: MemoryCacheStore,
): Promise<CacheMemory> {
  // A first fill, cleared, before the baseline (as for the hand-written stacks): the runtime, the store and
  // the optimised code of the call path exist by then, so the figures are the entries' own.
  for (let i = 0; i < ENTRIES; i++) await tool.run(op, next(), CALL_CONTEXT);
  await tool.executor.clearCache();
  return measureCache(
    name,
    async () => {
      for (let i = 0; i < ENTRIES; i++) await tool.run(op, next(), CALL_CONTEXT);
    },
    () => tool.executor.clearCache(),
    () => store.getMemoryStats().approxBytes,
  );
}

/** A hand-written stack's cache: warmed on another instance, so the measured one starts empty. */
async function measureStack(name: string, build: () => Promise<Stack>): Promise<CacheMemory> {
  const warm = await build();
  await fillStack(warm);
  warm.clear();
  const stack = await build();
  return measureCache(
    name,
    () => fillStack(stack),
    () => stack.clear(),
  );
}

export async function measureMemory(): Promise<MemoryResult> {
  // The stores the tools would build (ENTRIES entries, 1 h ttl), passed in so their estimate can be read.
  const smallStore = new MemoryCacheStore({ maxSize: ENTRIES, defaultTtlMs: 3_600_000 });
  const small = new PipelineTool({ ...PIPELINE_CONFIG, cacheStore: smallStore });
  const realisticStore = new MemoryCacheStore({ maxSize: ENTRIES, defaultTtlMs: 3_600_000 });
  const realistic = new (pipelineToolFor(REALISTIC))({ logLevel: 'error', cacheStore: realisticStore });
  const caches = [
    await measureTool(
      'aiecs MemoryCacheStore, small entry (3-field input, tool.run misses, then clearCache)',
      small,
      'add',
      uniqueInputs(),
      smallStore,
    ),
    await measureTool('aiecs MemoryCacheStore, realistic input', realistic, 'call', REALISTIC.fresh(), realisticStore),
    await measureStack('hand mnemonist LRUMap (cv stack), realistic input', () => classValidatorStack(REALISTIC, ENTRIES)),
    await measureStack('hand lru-cache (zod stack), realistic input', () => zodStack(REALISTIC, ENTRIES)),
  ];
  await small.close();
  await realistic.close();
  return { caches };
}
