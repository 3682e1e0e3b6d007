import { createApp } from '@aiecs/executor';
import { workerPool, type WorkerInvoker } from '@aiecs/worker';
import { SimilarityTool, type SearchResult } from './SimilarityTool';

/** What the tour saw: the searches' results, and how the main thread answered meanwhile. */
export interface CpuToolReport {
  readonly results: readonly SearchResult[];
  readonly searchMs: number;
  /** `ping` calls answered while the searches ran, and the slowest of them. */
  readonly pings: number;
  readonly slowestPingMs: number;
}

const QUERIES = ['worker pool timeout', 'cache schema validation', 'abort signal crash', 'search index vector score'];

/**
 * Four CPU-bound searches on a 2-worker pool while the main thread answers a `ping` every 10 ms; prints
 * what happened. The pool belongs to the app: `await using` closes both.
 */
export async function runCpuTool(print: (line: string) => void = console.log, corpusSize = 20_000): Promise<CpuToolReport> {
  // A ready instance with its own options: each worker builds the same tool from the same configuration.
  await using app = createApp({
    tools: [new SimilarityTool({ corpusSize })],
    invoker: workerPool({ maxWorkers: 2 }),
    config: { logLevel: 'error' },
  });
  // Start the workers (and build each one's corpus) before timing anything.
  await app.run('similarity.search', { query: 'warm up', top: 1 });
  await (app.runtime.invoker as WorkerInvoker).warmUp();

  let pings = 0;
  let slowestPingMs = 0;
  let searching = true;
  const pinging = (async () => {
    while (searching) {
      const sent = performance.now();
      await app.run('similarity.ping');
      slowestPingMs = Math.max(slowestPingMs, performance.now() - sent);
      pings++;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const started = performance.now();
  const results = (await Promise.all(QUERIES.map((query) => app.run('similarity.search', { query, top: 3 })))) as SearchResult[];
  const searchMs = performance.now() - started;
  searching = false;
  await pinging;

  for (const [i, result] of results.entries()) {
    print(
      `"${QUERIES[i]}" -> ${result.hits.map((h) => `#${h.id} (${h.score.toFixed(2)})`).join(', ')} [${result.scanned} documents, thread ${result.threadId}]`,
    );
  }
  print(
    `4 searches took ${searchMs.toFixed(0)} ms on worker threads; meanwhile the main thread answered ${pings} pings (slowest ${slowestPingMs.toFixed(1)} ms)`,
  );
  return { results, searchMs, pings, slowestPingMs };
}
