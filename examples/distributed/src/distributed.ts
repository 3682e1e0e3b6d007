// The demo: two replica processes on one Redis.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { ReplicaReply } from './replica';
import type { SearchResult } from './SearchTool';

const ROOT = path.resolve(__dirname, '../../..');

/** A replica process and its IPC channel. */
class Replica {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: ReplicaReply) => void>();

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (reply: ReplicaReply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  /** Forks `replica.ts` with the cache configured by environment variables, and waits until it is connected. */
  static start(name: string, env: Record<string, string>): Promise<Replica> {
    const fromSources = __filename.endsWith('.ts');
    const child = fork(path.join(__dirname, fromSources ? 'replica.ts' : 'replica.js'), [], {
      cwd: ROOT,
      execArgv: fromSources ? ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'] : [],
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), ...env },
      serialization: 'advanced', // results keep their Date and Map over IPC too
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`${name} did not start within 60 s`))), 60_000);
      const exited = (code: number | null): void => (
        clearTimeout(timer),
        reject(new Error(`${name} exited (${code}) before it was ready`))
      );
      child.once('exit', exited);
      child.once('message', (ready: { cache?: string }) => {
        clearTimeout(timer);
        child.off('exit', exited);
        if (ready.cache !== 'ok') {
          child.kill('SIGKILL');
          reject(new Error(`${name}: the Redis cache did not answer (is redis-server running at ${env['CACHE_REDIS_URL']}?)`));
        } else resolve(new Replica(name, child));
      });
    });
  }

  private ask(request: { readonly type: 'find'; readonly input: unknown } | { readonly type: 'metrics' }): Promise<ReplicaReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ ...request, id });
    });
  }

  /** Runs `search.find` in this replica. */
  find(query: string, backendMs: number): Promise<ReplicaReply> {
    return this.ask({ type: 'find', input: { query, backendMs } });
  }

  /** The replica's Prometheus exposition text. */
  async metrics(): Promise<string> {
    return (await this.ask({ type: 'metrics' })).value as string;
  }

  /** Closes the replica's app (and so its Redis store) and waits for the process to exit. */
  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      this.child.once('exit', () => (clearTimeout(timer), resolve()));
      this.child.send({ type: 'exit' });
    });
  }
}

/** Options of the demo. */
export interface DistributedDemoOptions {
  /** The Redis both replicas use. */
  readonly redisUrl: string;
  /** Key prefix (default: a fresh one per run, so runs never see each other's entries). */
  readonly prefix?: string;
  /** How long the simulated backend takes, in ms (default 400). */
  readonly backendMs?: number;
}

/** What the demo observed. */
export interface DistributedDemoResult {
  /** Replica A's miss, then replica B's hit of A's entry. */
  readonly sharedHit: { readonly missMs: number; readonly hitMs: number; readonly bRanBackend: boolean; readonly sameValue: boolean };
  /** Both replicas missing the same query at once. */
  readonly singleFlight: { readonly aMs: number; readonly bMs: number; readonly backendRuns: number; readonly sameValue: boolean };
  /** Replica B's Prometheus metrics text. */
  readonly metricsText: string;
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** Starts two replicas on `redisUrl`, shows a shared hit and a cross-process single-flight, prints each step. */
export async function runDistributedDemo(options: DistributedDemoOptions, print: (line: string) => void): Promise<DistributedDemoResult> {
  const backendMs = options.backendMs ?? 400;
  const env = {
    CACHE_BACKEND: 'redis',
    CACHE_REDIS_URL: options.redisUrl,
    CACHE_PREFIX: options.prefix ?? `demo:${randomUUID().slice(0, 8)}:`,
  };
  print(`starting two replicas on ${options.redisUrl} (CACHE_BACKEND=redis, CACHE_PREFIX=${env.CACHE_PREFIX})`);
  const [a, b] = await Promise.all([Replica.start('replica A', env), Replica.start('replica B', env)]);
  try {
    const miss = await a.find('shared query', backendMs);
    print(`A: miss, backend ran (${backendMs} ms backend): ${ms(miss.ms)}`);
    const hit = await b.find('shared query', backendMs);
    const bRanBackend = hit.backendCalls > 0;
    print(
      `B: ${bRanBackend ? 'MISS (unexpected)' : "hit of A's entry"}: ${ms(hit.ms)} (its first call: the pipeline is built); B's backend calls: ${hit.backendCalls}`,
    );
    const again = await b.find('shared query', backendMs);
    print(`B again: hit: ${ms(again.ms)} (IPC round trip included)`);

    const before = a.find('warm-up', 0).then((r) => r.backendCalls);
    const beforeB = b.find('warm-up', 0).then((r) => r.backendCalls);
    const [runsA, runsB] = [await before, await beforeB];
    const [fa, fb] = await Promise.all([a.find('burst query', backendMs), b.find('burst query', backendMs)]);
    const backendRuns = fa.backendCalls - runsA + (fb.backendCalls - runsB);
    print(`A and B miss "burst query" together: A ${ms(fa.ms)}, B ${ms(fb.ms)}; backend runs across both: ${backendRuns}`);

    // Metrics (@aiecs/prometheus): replica B's exposition text, as /metrics would serve it.
    const metricsText = await b.metrics();
    print("B's metrics (tool_* and cache_* series):");
    for (const line of metricsText.split('\n')) if (/^(tool_|cache_)/.test(line) && !line.includes('_bucket')) print(`  ${line}`);

    const value = (reply: ReplicaReply): SearchResult => reply.value as SearchResult;
    return {
      sharedHit: { missMs: miss.ms, hitMs: hit.ms, bRanBackend, sameValue: value(miss).answeredBy === value(hit).answeredBy },
      singleFlight: { aMs: fa.ms, bMs: fb.ms, backendRuns, sameValue: value(fa).answeredBy === value(fb).answeredBy },
      metricsText,
    };
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}
