// How a case is measured: each case in a process of its own, measured in rounds (mitata's
// `measure`) that the parent interleaves across all the case processes.
import { fork, type ChildProcess } from 'node:child_process';
import { hash } from 'node:crypto';
import * as path from 'node:path';
import { measure } from 'mitata';

/** A call to measure, ready to run. */
export interface Case {
  readonly fn: () => unknown;
  /** What one call must resolve to (checked once before measuring, so a broken case cannot look fast). */
  readonly expect?: unknown;
  /** Checked after measuring (e.g. every call was a cache hit); returns the problem, if any. */
  readonly verify?: () => string | undefined;
}

/** A row of the table: its name, and how to build its case (only in the process that measures it). */
export interface CaseDef {
  readonly name: string;
  readonly create: () => Case | Promise<Case>;
}

/** One row of the table. */
export interface Row {
  readonly name: string;
  /** Median time of one call, in ns: the lowest of the rounds' medians. */
  readonly medianNs: number;
  /** Each round's median, in ns, in the order measured (their spread is the noise). */
  readonly roundMediansNs: readonly number[];
  /** 25th percentile of every sample of every round, in ns (another estimate robust to slow phases). */
  readonly p25Ns: number;
  /** Calls measured, all rounds together. */
  readonly calls: number;
}

/** A case that does not do what its name says. */
export class BrokenCaseError extends Error {}

/**
 * Rounds per case (BENCH_ROUNDS overrides it). This 2-core VM has phases, from a tenth of a second
 * to several seconds, where code that allocates or hashes runs ~2x slower while a pure integer loop
 * does not (the host's memory side: no GC, deopt or steal time behind them). Rounds interleaved
 * across the cases, so that each case's rounds are seconds apart, and the lowest of their medians
 * keep most rows within a few % of their quiet-machine figure. The same in every run of `--runs N`: with 4 a
 * run (before), a row's process sometimes caught none of the fast phases in a run, and a target at ~0.9 of
 * its bound read 1.03 in one run of three.
 */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
/**
 * Before the first round: at least this many calls (the compiled pipeline; above the cache size, an LRU
 * in steady state) and this long: on 2 busy cores the optimising compiler needs the best part of a second
 * for the validation libraries, and rounds measured earlier run 2-10x slower.
 */
const WARMUP_CALLS = 2_000;
const WARMUP_MS = 1_000;
/** Warm-up stops at this, whatever WARMUP_CALLS says: a 1 MB input's calls take milliseconds each. */
const MAX_WARMUP_MS = 4_000;
/** Calls before each round (at most ROUND_WARMUP_MAX_MS of them): the process was idle while the others measured, its caches are cold. */
const ROUND_WARMUP_CALLS = 200;
const ROUND_WARMUP_MAX_MS = 150;
/** Target duration of one sample (one batch of calls), in ns. */
const SAMPLE_NS = 1e6;
/**
 * Per round: at least 80 ms and 12 samples. Every sample is the mean of a batch of calls (about 1 ms
 * worth, 16 to 1024 calls), for every case: left to itself, mitata times single calls when its one
 * probe call is slow (a cold pipeline), and single-call medians are not comparable with batched ones.
 * No GC before a round (mitata's default, a full `gc()` or, without --expose-gc, a 1 GB allocation):
 * after a forced full GC, allocation-heavy cases (validation, miss) ran 5-10x slower for the next
 * tens of ms, which is the round itself.
 */
const MEASURE_OPTIONS = { min_cpu_time: 80e6, batch_threshold: Number.MAX_SAFE_INTEGER, gc: false } as const;
/** Case processes starting at once (start-up compiles TypeScript: CPU-bound, nothing is measured yet). */
const STARTING_AT_ONCE = 3;

// ---- In the case's process -------------------------------------------------------------------

/** Messages between the parent and a case process. */
type ToChild = { readonly type: 'round' } | { readonly type: 'finish' };
type FromChild =
  | { readonly type: 'ready' }
  | { readonly type: 'round'; readonly medianNs: number; readonly samplesNs: readonly number[]; readonly calls: number }
  | { readonly type: 'finished' }
  | { readonly type: 'failed'; readonly error: string };

/** Checks the case, warms it up, and returns the batch size that makes a sample last about SAMPLE_NS. */
async function prepare(name: string, { fn, expect }: Case): Promise<number> {
  if (expect !== undefined) {
    const value: unknown = await fn();
    if (value !== expect) throw new BrokenCaseError(`${name}: expected ${String(expect)}, got ${String(value)}`);
  }
  const started = performance.now();
  for (let i = 0; performance.now() - started < MAX_WARMUP_MS && (i < WARMUP_CALLS || performance.now() - started < WARMUP_MS); i++)
    await fn();
  // Per-call time, now that the code is optimised.
  const timed = process.hrtime.bigint();
  let calls = 0;
  for (; calls < 200 && (calls < 10 || Number(process.hrtime.bigint() - timed) < 200e6); calls++) await fn();
  const perCallNs = Number(process.hrtime.bigint() - timed) / calls;
  // A power of two (mitata unrolls batches by 4).
  return 2 ** Math.min(10, Math.max(2, Math.round(Math.log2(SAMPLE_NS / perCallNs))));
}

/** Serves the parent: builds the case, then measures one round per request. */
export async function serveCase(def: CaseDef): Promise<void> {
  const send = (message: FromChild): void => void process.send!(message);
  try {
    const c = await def.create();
    const batch = await prepare(def.name, c);
    let queue = Promise.resolve();
    process.on('message', (message: ToChild) => {
      queue = queue.then(async () => {
        try {
          if (message.type === 'round') {
            const warm = performance.now();
            for (let i = 0; i < ROUND_WARMUP_CALLS && performance.now() - warm < ROUND_WARMUP_MAX_MS; i++) await c.fn();
            const stats = await measure(c.fn, { ...MEASURE_OPTIONS, batch_samples: batch });
            send({ type: 'round', medianNs: stats.p50, samplesNs: stats.samples, calls: stats.ticks });
          } else {
            const problem = c.verify?.();
            if (problem !== undefined) throw new BrokenCaseError(`${def.name}: ${problem}`);
            send({ type: 'finished' });
            process.disconnect();
          }
        } catch (error) {
          send({ type: 'failed', error: String(error) });
          process.disconnect();
        }
      });
    });
    send({ type: 'ready' });
  } catch (error) {
    send({ type: 'failed', error: String(error) });
    process.disconnect();
  }
}

// ---- In the parent ---------------------------------------------------------------------------

/** The script case processes run, with this process's node flags (ts-node, --expose-gc). */
const RUN_CASE = path.join(__dirname, 'runCase.ts');

/** A case process, driven round by round. */
class CaseProcess {
  private readonly child: ChildProcess;
  private readonly replies: FromChild[] = [];
  private waiting: ((reply: FromChild) => void) | undefined;

  constructor(readonly name: string) {
    this.child = fork(RUN_CASE, ['case', name], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (reply: FromChild) => this.deliver(reply));
    this.child.on('exit', (code) => this.deliver({ type: 'failed', error: `process exited (${code})` }));
  }

  private deliver(reply: FromChild): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(reply);
    else this.replies.push(reply);
  }

  /** The next reply; a failure rejects. */
  private async next<T extends FromChild['type']>(type: T): Promise<Extract<FromChild, { type: T }>> {
    const reply = this.replies.shift() ?? (await new Promise<FromChild>((resolve) => (this.waiting = resolve)));
    if (reply.type === 'failed') throw new Error(`${this.name}: ${reply.error}`);
    if (reply.type !== type) throw new Error(`${this.name}: expected ${type}, got ${reply.type}`);
    return reply as Extract<FromChild, { type: T }>;
  }

  ready(): Promise<unknown> {
    return this.next('ready');
  }

  round(): Promise<Extract<FromChild, { type: 'round' }>> {
    this.child.send({ type: 'round' } satisfies ToChild);
    return this.next('round');
  }

  async finish(): Promise<void> {
    this.child.send({ type: 'finish' } satisfies ToChild);
    await this.next('finished');
  }

  /**
   * Stops the process while others measure (SIGSTOP): an idle case still wakes up (its timers, its
   * sockets, its worker threads, its garbage collector), and on a 2-core host those wake-ups land on the
   * measuring process's cores. Measured: the MCP rows were 10–35 % slower in the full table than alone.
   */
  pause(): void {
    if (PAUSABLE && this.child.exitCode === null) this.child.kill('SIGSTOP');
  }

  resume(): void {
    if (PAUSABLE && this.child.exitCode === null) this.child.kill('SIGCONT');
  }

  kill(): void {
    this.resume(); // a stopped process would hold its SIGTERM (and its redis-server) until continued
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** POSIX job control (not on Windows, where idle processes keep running). */
const PAUSABLE = process.platform !== 'win32';

/**
 * Measures the cases, each in a process of its own (one case's type feedback never reaches
 * another's), `runs` runs of `rounds` rounds each, one process measuring at a time while the others
 * wait, stopped (SIGSTOP, see `pause`). The processes are started once and serve every run
 * (starting one loads and compiles the sources: ~7 s of CPU, minutes of wall time for the whole
 * table on a busy 2-core VM); each run's figure of a row is the lowest of that run's round medians.
 * Returns the rows of each run.
 */
export async function measureCases(
  names: readonly string[],
  onProgress?: (what: string) => void,
  runs = 1,
  rounds = ROUNDS,
): Promise<Row[][]> {
  const processes: CaseProcess[] = [];
  try {
    for (let i = 0; i < names.length; i += STARTING_AT_ONCE) {
      const starting = names.slice(i, i + STARTING_AT_ONCE).map((name) => new CaseProcess(name));
      processes.push(...starting);
      onProgress?.(`starting ${starting.map((p) => p.name).join(', ')}`);
      await Promise.all(starting.map((p) => p.ready()));
      for (const p of starting) p.pause();
    }
    // One round per process first, not recorded: the first run's rows came out up to 20 % slower than
    // the later runs' in the full table (a process's first round after its long idle start-up).
    for (const p of processes) {
      onProgress?.(`settling round: ${p.name}`);
      p.resume();
      await p.round();
      p.pause();
    }
    const results: Row[][] = [];
    for (let run = 0; run < runs; run++) {
      const medians = processes.map((): number[] => []);
      const samples = processes.map((): number[] => []);
      const calls = processes.map(() => 0);
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < processes.length; i++) {
          onProgress?.(`run ${run + 1}/${runs}, round ${round + 1}/${rounds}: ${processes[i]!.name}`);
          processes[i]!.resume();
          const result = await processes[i]!.round();
          processes[i]!.pause();
          medians[i]!.push(result.medianNs);
          // A loop, not push(...): a round of a fast row can hold more samples than a call's arguments.
          for (const sample of result.samplesNs) samples[i]!.push(sample);
          calls[i]! += result.calls;
        }
      }
      results.push(
        processes.map((p, i) => {
          const sorted = samples[i]!.sort((x, y) => x - y);
          return {
            name: p.name,
            medianNs: Math.min(...medians[i]!),
            roundMediansNs: medians[i]!,
            p25Ns: sorted[Math.floor(0.25 * (sorted.length - 1))]!,
            calls: calls[i]!,
          };
        }),
      );
    }
    for (const p of processes) p.resume();
    await Promise.all(processes.map((p) => p.finish()));
    return results;
  } finally {
    for (const p of processes) p.kill();
  }
}

/** Runs `job` (see runCase.ts) in a fresh process and returns what it sent back. */
export function inChildProcess<T>(job: string, ...args: string[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(RUN_CASE, [job, ...args], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: { value: T } | undefined;
    child.on('message', (message: T) => (result = { value: message }));
    child.on('exit', (code) => (result ? resolve(result.value) : reject(new Error(`${job}: child process failed (${code})`))));
  });
}

// ---- Host noise ------------------------------------------------------------------------------

/** How noisy the machine is right now: median / fastest time of a fixed allocate-and-hash loop (1.0 = quiet). */
export interface HostNoise {
  readonly fastestMs: number;
  readonly medianMs: number;
  readonly ratio: number;
}

/**
 * Times a fixed loop that allocates, serialises and hashes (what the slow phases hit; a pure integer
 * loop does not see them) for about `durationMs`.
 */
export function measureHostNoise(durationMs = 1_000): HostNoise {
  const times: number[] = [];
  let sink = 0;
  const until = performance.now() + durationMs;
  while (performance.now() < until) {
    const started = performance.now();
    for (let i = 0; i < 500; i++) sink += hash('sha256', JSON.stringify({ a: i, b: 'hello world', c: true }), 'hex').length;
    times.push(performance.now() - started);
  }
  if (sink === -1) console.log(sink); // keeps the loop from being optimised away
  times.sort((a, b) => a - b);
  const fastestMs = times[0]!;
  const medianMs = times[Math.floor(times.length / 2)]!;
  return { fastestMs, medianMs, ratio: medianMs / fastestMs };
}
