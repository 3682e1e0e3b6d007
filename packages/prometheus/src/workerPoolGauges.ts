import type { InvokerStats } from '@aiecs/executor';
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRIC_NAMES } from './metricNames';

/**
 * Where the worker-pool metrics read their snapshot: each observed app's runtime. `existingInvoker()` (an
 * `App`'s runtime has it) names the invoker, so one shared by several apps is counted once; without it,
 * `invokerStats()` is read as the app's own.
 */
export interface InvokerStatsSource {
  readonly runtime: {
    invokerStats?(): InvokerStats | undefined;
    existingInvoker?(): { stats?(): InvokerStats } | undefined;
  };
}

const NO_POOL: InvokerStats = Object.freeze({ workers: 0, maxWorkers: 0, queued: 0, running: 0, completed: 0, utilization: 0 });

/** Each distinct invoker's snapshot once (apps sharing an invoker report the same pools). */
function distinctSnapshots(apps: Iterable<InvokerStatsSource>): InvokerStats[] {
  const seen = new Set<object>();
  const snapshots: InvokerStats[] = [];
  for (const { runtime } of apps) {
    const invoker = runtime.existingInvoker?.();
    if (invoker !== undefined) {
      if (seen.has(invoker)) continue;
      seen.add(invoker);
    }
    const stats = invoker !== undefined ? invoker.stats?.() : runtime.invokerStats?.();
    if (stats !== undefined) snapshots.push(stats);
  }
  return snapshots;
}

/**
 * The invoker snapshots of every observed app, added up, each invoker once: counts are sums;
 * `utilization` is weighted by each pool's `maxWorkers` (its share of the threads), which is the share of
 * the combined thread time when the pools are of a similar age. Apps whose invoker has no stats
 * (in-process, or a worker pool not made yet: the runtime makes it on the first call) add nothing, so
 * with none the snapshot is all zeros.
 */
export function combinedInvokerStats(apps: Iterable<InvokerStatsSource>): InvokerStats {
  let total = NO_POOL;
  let weighted = 0;
  for (const stats of distinctSnapshots(apps)) {
    weighted += stats.utilization * stats.maxWorkers;
    total = {
      workers: total.workers + stats.workers,
      maxWorkers: total.maxWorkers + stats.maxWorkers,
      queued: total.queued + stats.queued,
      running: total.running + stats.running,
      completed: total.completed + stats.completed,
      utilization: 0,
    };
  }
  return total === NO_POOL ? NO_POOL : { ...total, utilization: total.maxWorkers === 0 ? 0 : weighted / total.maxWorkers };
}

/**
 * Registers the worker-pool metrics, read from the observed apps' invokers at scrape time (prom-client
 * `collect`); nothing is counted between scrapes. Label-less, like `cache_size`: an app without a pool
 * reports 0 (prom-client always exposes a label-less series, and 0 threads, queue and load is what an
 * app running its methods in-process has).
 *
 * `worker_pool_completed_tasks_total` is a counter (so `rate()` applies): each scrape sets it to the
 * pools' own running total (reset, then `inc` by the total; prom-client counters have no `set`). A pool
 * closed and made again starts from 0, which Prometheus reads as a counter reset.
 */
export function registerWorkerPoolGauges(apps: ReadonlySet<InvokerStatsSource>, prefix: string, registers: Registry[]): void {
  const gauge = (name: string, help: string, read: (stats: InvokerStats) => number): void =>
    void new Gauge({
      name: prefix + name,
      help,
      registers,
      collect() {
        this.set(read(combinedInvokerStats(apps)));
      },
    });
  gauge(METRIC_NAMES.workerThreads, 'Worker threads alive now in the pools of the observed apps', (s) => s.workers);
  gauge(METRIC_NAMES.workerMaxThreads, 'The most worker threads the pools of the observed apps may run', (s) => s.maxWorkers);
  gauge(METRIC_NAMES.workerQueueSize, 'Method calls waiting for a worker thread', (s) => s.queued);
  gauge(METRIC_NAMES.workerRunningTasks, 'Method calls running on worker threads now', (s) => s.running);
  gauge(
    METRIC_NAMES.workerUtilization,
    'Share of the thread time of the pools spent running method calls since they started, 0 to 1',
    (s) => s.utilization,
  );
  new Counter({
    name: prefix + METRIC_NAMES.workerCompletedTasks,
    help: 'Method calls the worker pools of the observed apps completed',
    registers,
    collect() {
      this.reset();
      const completed = combinedInvokerStats(apps).completed;
      if (completed > 0) this.inc(completed);
    },
  });
}
