// 10,000 concurrent run() calls on the miss path: wall time, peak RSS growth, and that every call settled.
import { CALL_CONTEXT, PIPELINE_CONFIG, PipelineTool, uniqueInputs } from '../fixtures';

export interface ConcurrencyResult {
  readonly calls: number;
  readonly fulfilled: number;
  readonly rejected: number;
  readonly totalMs: number;
  /** Highest RSS seen while the calls were in flight, minus RSS after a GC before they started. */
  readonly peakRssGrowthMb: number;
  /** The same for the V8 heap in use (RSS keeps pages the heap already had, so it can understate). */
  readonly peakHeapGrowthMb: number;
  readonly memorySamples: number;
  /** First rejection reason, if any. */
  readonly firstError?: string;
}

const MB = 1024 * 1024;
/** Microtask-interleaved samples taken before yielding to the event loop once (so timers can still fire). */
const SAMPLES_PER_TURN = 256;

/**
 * Samples RSS between microtasks until stopped: the calls settle without leaving the microtask
 * queue, so a timer-based sampler would only see the start and the end.
 */
function startMemorySampler(): { sample(): void; stop(): Promise<{ rss: number; heap: number; samples: number }> } {
  let running = true;
  let rss = 0;
  let heap = 0;
  let samples = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    if (usage.rss > rss) rss = usage.rss;
    if (usage.heapUsed > heap) heap = usage.heapUsed;
    samples++;
  };
  const loop = (async () => {
    while (running) {
      for (let i = 0; i < SAMPLES_PER_TURN && running; i++) {
        sample();
        await null;
      }
      if (running) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  })();
  return {
    sample,
    async stop() {
      running = false;
      await loop;
      return { rss, heap, samples };
    },
  };
}

export async function concurrentMisses(calls = 10_000): Promise<ConcurrencyResult> {
  const tool = new PipelineTool(PIPELINE_CONFIG);
  const next = uniqueInputs(1_000_000_000);
  // Warm up (JIT, the operation's compiled pipeline), then measure from a collected heap.
  await Promise.all(Array.from({ length: 2_000 }, () => tool.run('add', next(), CALL_CONTEXT)));
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage();

  const sampler = startMemorySampler();
  const started = performance.now();
  const pending: Promise<unknown>[] = new Array(calls);
  for (let i = 0; i < calls; i++) pending[i] = tool.run('add', next(), CALL_CONTEXT);
  sampler.sample(); // every call issued, none settled yet
  const settled = await Promise.allSettled(pending);
  const totalMs = performance.now() - started;
  const peak = await sampler.stop();
  await tool.close();

  const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  return {
    calls,
    fulfilled: settled.length - rejected.length,
    rejected: rejected.length,
    totalMs,
    peakRssGrowthMb: (peak.rss - baseline.rss) / MB,
    peakHeapGrowthMb: (peak.heap - baseline.heapUsed) / MB,
    memorySamples: peak.samples,
    ...(rejected.length > 0 ? { firstError: String(rejected[0]!.reason) } : {}),
  };
}
