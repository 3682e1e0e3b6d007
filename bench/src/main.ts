// `npm run bench`: one table (median ns/op, ops/s, ratio to the direct call), the 10k-concurrency, memory and
// @RunInExecutor lines, then the target checks. `--runs N` runs the whole bench N times (fresh processes
// each time) and prints per row the median of the runs and their range, and per target whether it held in
// every run, with the worst run. --json prints only a JSON document (see USAGE).
import { execSync } from 'node:child_process';
import * as os from 'node:os';
import type { ConcurrencyResult } from './cases/concurrency';
import { ALL_CASES } from './cases/index';
import type { MemoryResult } from './cases/memory';
import { runInExecutorStatus } from './cases/runInExecutor';
import { CACHE_SIZE } from './fixtures';
import { inChildProcess, measureCases, measureHostNoise, ROUNDS, type HostNoise, type Row } from './harness';
import { checkTargets, verdicts, type TargetCheck, type TargetVerdict } from './targets';

interface Options {
  readonly json: boolean;
  readonly filter?: RegExp;
  readonly runs: number;
}

const USAGE = `usage: npm run -s bench -w @aiecs/bench -- [--json] [--filter <regex>] [--runs <n>]
       (from the repository root: npm run -s bench -- -- [--json] [--filter <regex>] [--runs <n>])
  --json            print only a JSON document (runs, rows, concurrency, memory, @RunInExecutor, targets, host noise)
  --filter <regex>  measure only the rows whose name matches (the direct row always runs; the 10k check if
                    "10k concurrent" matches, the memory job if "memory" matches)
  --runs <n>        run the whole bench n times (default 1; 8 rounds a run): per row the median of the runs and their range,
                    per target met only if it held in every run, and the worst run
  BENCH_ROUNDS=n    rounds per row (default 8)`;

function parseArgs(argv: readonly string[]): Options {
  let json = false;
  let filter: RegExp | undefined;
  let runs = 1;
  const runsOf = (text: string | undefined): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`--runs expects a positive integer, got ${text}\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--filter' && argv[i + 1] !== undefined) filter = new RegExp(argv[++i]!);
    else if (arg.startsWith('--filter=')) filter = new RegExp(arg.slice('--filter='.length));
    else if (arg === '--runs') runs = runsOf(argv[++i]);
    else if (arg.startsWith('--runs=')) runs = runsOf(arg.slice('--runs='.length));
    else {
      console.error(arg === '--help' || arg === '-h' ? USAGE : `unknown argument ${arg}\n${USAGE}`);
      process.exit(arg === '--help' || arg === '-h' ? 0 : 2);
    }
  }
  return { json, filter, runs };
}

/** One row over the runs: the median of the runs' figures and their range. */
interface TableRow {
  readonly name: string;
  /** Median over the runs of the row's figure (each run: the lowest of its rounds' medians). */
  readonly medianNs: number;
  readonly minNs: number;
  readonly maxNs: number;
  /** Each run's figure, in run order. */
  readonly runsNs: readonly number[];
  readonly opsPerSec: number;
  /** median / median of `direct`. */
  readonly ratioToDirect: number;
}

/** What one run measured. */
interface Run {
  readonly rows: readonly Row[];
  readonly concurrency?: ConcurrencyResult;
  readonly memory?: MemoryResult;
  readonly targets: readonly TargetCheck[];
  readonly hostNoise: { readonly before: HostNoise; readonly after: HostNoise };
}

function gitCommit(): string | undefined {
  try {
    const head = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    const dirty =
      execSync('git status --porcelain -- ../packages', { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return undefined;
  }
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function formatNs(ns: number): string {
  return ns < 100 ? ns.toFixed(1) : number.format(ns);
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function tableOf(runs: readonly Run[]): TableRow[] {
  const names = runs[0]!.rows.map((r) => r.name);
  const rows = names.map((name) => {
    const runsNs = runs.map((run) => run.rows.find((r) => r.name === name)!.medianNs);
    const medianNs = medianOf(runsNs);
    return { name, medianNs, minNs: Math.min(...runsNs), maxNs: Math.max(...runsNs), runsNs, opsPerSec: 1e9 / medianNs, ratioToDirect: 0 };
  });
  const direct = rows.find((r) => r.name === 'direct')!.medianNs;
  return rows.map((r) => ({ ...r, ratioToDirect: r.medianNs / direct }));
}

function printTable(rows: readonly TableRow[], runs: number): void {
  const header = ['name', runs > 1 ? `median of ${runs} runs ns/op` : 'median ns/op', ...(runs > 1 ? ['range'] : []), 'ops/s', 'x direct'];
  const cells = rows.map((r) => [
    r.name,
    formatNs(r.medianNs),
    ...(runs > 1 ? [`${formatNs(r.minNs)}–${formatNs(r.maxNs)}`] : []),
    number.format(r.opsPerSec),
    `${r.ratioToDirect.toFixed(1)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

function printConcurrency(c: ConcurrencyResult): void {
  console.log(
    `10k concurrent run() (miss path, unique inputs): ${c.totalMs.toFixed(0)} ms total, ` +
      `peak growth RSS ${c.peakRssGrowthMb.toFixed(1)} MB / V8 heap ${c.peakHeapGrowthMb.toFixed(1)} MB (${c.memorySamples} samples), ` +
      `${c.fulfilled}/${c.calls} fulfilled${c.rejected ? `, ${c.rejected} rejected (first: ${c.firstError})` : ''}`,
  );
}

function printMemory(runs: readonly Run[]): void {
  const measured = runs
    .filter((r) => r.memory !== undefined)
    .map((r) => r.memory!)
    .slice(0, 1);
  if (measured.length === 0) return;
  console.log('\nmemory (V8 heap after full GCs, 20,000 entries, measured once)');
  for (let i = 0; i < measured[0]!.caches.length; i++) {
    const name = measured[0]!.caches[i]!.name;
    const perEntry = measured.map((m) => m.caches[i]!.bytesPerEntry.toFixed(0)).join(' / ');
    const retained = measured.map((m) => `${(m.caches[i]!.retainedAfterClear * 100).toFixed(1)} %`).join(' / ');
    const approx = measured[0]!.caches[i]!.approxBytesPerEntry;
    console.log(
      `  ${name}: ${perEntry} B per entry; retained after clear(): ${retained}${approx === undefined ? '' : ` (getMemoryStats estimate: ${approx.toFixed(0)} B per entry)`}`,
    );
  }
}

function formatNoise(noise: HostNoise): string {
  return `${noise.ratio.toFixed(2)}x`;
}

function printTargets(runs: readonly Run[], summary: readonly TargetVerdict[]): void {
  console.log(`\ntargets (${runs.length > 1 ? `met only if met in each of the ${runs.length} runs; the worst run shown` : 'this run'})`);
  for (const verdict of summary) {
    const word = verdict.met === undefined ? 'n/a ' : verdict.met ? 'MET ' : 'MISS';
    const count = runs.length > 1 && verdict.met !== undefined ? ` [met in ${verdict.runsMet} of ${verdict.runsMeasured}]` : '';
    console.log(`  ${word}  ${verdict.target}${count}: ${verdict.worst?.detail ?? 'not measured'}`);
    if (runs.length > 1) {
      const perRun = runs
        .map((run) => run.targets.find((c) => c.target === verdict.target))
        .map((c) => (c?.pass === undefined ? '-' : `${c.pass ? 'met' : 'missed'} (${c.ratio?.toFixed(2)})`));
      console.log(`        per run (measured / allowed): ${perRun.join(', ')}`);
    }
  }
}

/**
 * Measures the runs: the rows' processes serve every run (see `measureCases`); the 10k-concurrency
 * check and the memory job run once (deterministic enough; each costs a process start), the host-noise
 * probe between runs.
 */
async function measureRuns(options: Options, progress: (what: string) => void): Promise<Run[]> {
  const filter = options.filter;
  const names = ALL_CASES.map((c) => c.name).filter((name) => !filter || name === 'direct' || filter.test(name));
  const noise: HostNoise[] = [measureHostNoise()];
  const rowsByRun = await measureCases(names, progress, options.runs);
  // Measured once, whatever --runs says (each is a process start, minutes on a busy VM): they count in every run's targets.
  let concurrency: ConcurrencyResult | undefined;
  if (!filter || filter.test('10k concurrent')) {
    progress('10k concurrent');
    concurrency = await inChildProcess<ConcurrencyResult>('concurrency');
  }
  let memory: MemoryResult | undefined;
  if (!filter || filter.test('memory')) {
    progress('memory');
    memory = await inChildProcess<MemoryResult>('memory');
  }
  const runs: Run[] = [];
  for (let i = 0; i < options.runs; i++) {
    const rows = rowsByRun[i]!;
    noise.push(measureHostNoise());
    runs.push({
      rows,
      concurrency,
      memory,
      targets: checkTargets(rows, concurrency, memory),
      hostNoise: { before: noise[i]!, after: noise[i + 1]! },
    });
  }
  return runs;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  if (!options.json) {
    console.log(`aiecs-ts bench: node ${process.version}, ${os.cpus().length} cpu(s) (${os.cpus()[0]?.model ?? 'unknown'})`);
    console.log(`cache: MemoryCacheStore of ${CACHE_SIZE} entries (LRU; the miss rows evict in steady state), default ttl 1 h`);
    console.log(
      `median ns/op: lowest of ${ROUNDS} rounds' medians (a process per row, rounds interleaved across rows), ` +
        `each sample the mean of ~1 ms of awaited calls${options.runs > 1 ? `; then the median of ${options.runs} runs (the rows' processes serve every run)` : ''}\n`,
    );
  }
  const progress = (what: string): void => {
    if (process.stderr.isTTY) process.stderr.write(`\rmeasuring ${what}\x1b[K`);
  };
  const runs = await measureRuns(options, progress);
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  const table = tableOf(runs);
  const summary = verdicts(runs.map((r) => r.targets));
  const runInExecutor = await runInExecutorStatus();
  const elapsedS = (performance.now() - started) / 1000;

  if (options.json) {
    const document = {
      commit: gitCommit(),
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      cacheSize: CACHE_SIZE,
      roundsPerRun: ROUNDS,
      runs: runs.length,
      rows: table,
      targets: summary,
      perRun: runs,
      runInExecutor,
      elapsedS,
    };
    console.log(JSON.stringify(document, null, 2));
    return;
  }
  printTable(table, runs.length);
  console.log();
  console.log(
    `host noise (median/fastest of a fixed allocate+hash loop; 1.0 = quiet), per run before/after: ` +
      runs.map((r) => `${formatNoise(r.hostNoise.before)}/${formatNoise(r.hostNoise.after)}`).join(', '),
  );
  if (runs[0]?.concurrency) printConcurrency(runs[0].concurrency);
  printMemory(runs);
  console.log(`@RunInExecutor CPU-bound vs in-process: ${runInExecutor.note} (declaration recorded: ${runInExecutor.recorded})`);
  printTargets(runs, summary);
  console.log(`\n(${elapsedS.toFixed(0)} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
