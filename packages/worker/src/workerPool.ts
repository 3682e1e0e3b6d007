import type { InvokerFactory } from '@aiecs/executor';
import type { WorkerPoolOptions } from './poolOptions';
import { WorkerInvoker } from './WorkerInvoker';

/**
 * The invoker factory for `createApp({ invoker })` / `new ToolRuntime({ invoker })`: the runtime calls it on
 * first use and closes the pool it returns with itself (`close()`, `await using`), so an app has one pool,
 * shared by its tools. `maxWorkers` defaults to the runtime's (`maxWorkers` option, `TOOL_EXECUTOR_MAX_WORKERS`,
 * else `os.availableParallelism()`); the pool's threads start on the first `@RunInExecutor` call. `pools` adds
 * named pools, each with threads of its own, for the operations that name them (`@RunInExecutor({ pool })`).
 *
 * @example
 * ```ts
 * await using app = createApp({ tools: [HashTool], invoker: workerPool({ idleTimeoutMs: 10_000 }) });
 * await app.run('hash.digest', { text }); // the body runs on a worker thread; the pipeline stays here
 *
 * // @RunInExecutor({ pool: 'parse' }) bodies get one thread of their own; the rest share the default pool
 * createApp({ tools, invoker: workerPool({ maxWorkers: 2, pools: { parse: { maxWorkers: 1 } } }) });
 * ```
 */
export function workerPool(options: WorkerPoolOptions = {}): InvokerFactory {
  // Checked now, so a bad option fails where it is written, not at the first call.
  new WorkerInvoker(options);
  return (host) => new WorkerInvoker({ logger: host.logger, ...options, maxWorkers: options.maxWorkers ?? host.config.maxWorkers });
}
