// `npm run bench`: one table (median ns/op, ops/s, ratio to the direct call), the 10k-concurrency and
// @RunInExecutor lines, then the target checks. --json prints only a JSON document (see USAGE).
import { execSync } from 'node:child_process';
import * as os from 'node:os';
import type { ConcurrencyResult } from './cases/concurrency';
import { ALL_CASES } from './cases/index';
import { runInExecutorStatus } from './cases/runInExecutor';
import { CACHE_SIZE } from './fixtures';
import { inChildProcess, measureCases, measureHostNoise, ROUNDS, type HostNoise, type Row } from './harness';
import { checkTargets, type TargetCheck } from './targets';

interface Options {
  readonly json: boolean;
  readonly filter?: RegExp;
}

const USAGE = `usage: npm run -s bench -w @aiecs/bench -- [--json] [--filter <regex>]
       (from the repository root: npm run -s bench -- -- [--json] [--filter <regex>])
  --json            print only a JSON document (rows, concurrency, @RunInExecutor, targets, host noise)
  --filter <regex>  measure only the rows whose name matches (the direct row always runs; the 10k check if "10k concurrent" matches)
  BENCH_ROUNDS=n    rounds per row (default 8)`;

function parseArgs(argv: readonly string[]): Options {
  let json = false;
  let filter: RegExp | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--filter' && argv[i + 1] !== undefined) filter = new RegExp(argv[++i]!);
    else if (arg.startsWith('--filter=')) filter = new RegExp(arg.slice('--filter='.length));
    else {
      console.error(arg === '--help' || arg === '-h' ? USAGE : `unknown argument ${arg}\n${USAGE}`);
      process.exit(arg === '--help' || arg === '-h' ? 0 : 2);
    }
  }
  return { json, filter };
}

interface TableRow extends Row {
  readonly opsPerSec: number;
  /** median / median of `direct`. */
  readonly ratioToDirect: number;
}

function gitCommit(): string | undefined {
  try {
    const head = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execSync('git status --porcelain -- ../packages', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return undefined;
  }
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function formatNs(ns: number): string {
  return ns < 100 ? ns.toFixed(1) : number.format(ns);
}

function printTable(rows: readonly TableRow[]): void {
  const header = ['name', 'median ns/op', 'ops/s', 'x direct'];
  const cells = rows.map((r) => [r.name, formatNs(r.medianNs), number.format(r.opsPerSec), `${r.ratioToDirect.toFixed(1)}x`]);
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

function formatNoise(noise: HostNoise): string {
  return `${noise.ratio.toFixed(2)}x`;
}

function printTargets(checks: readonly TargetCheck[]): void {
  console.log('\ntargets');
  for (const check of checks) {
    const verdict = check.pass === undefined ? 'n/a ' : check.pass ? 'PASS' : 'MISS';
    console.log(`  ${verdict}  ${check.target}: ${check.detail}`);
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  if (!options.json) {
    console.log(`aiecs-ts bench: node ${process.version}, ${os.cpus().length} cpu(s) (${os.cpus()[0]?.model ?? 'unknown'})`);
    console.log(`cache: MemoryCacheStore of ${CACHE_SIZE} entries (LRU; the miss rows evict in steady state), default ttl 1 h`);
    console.log(
      `median ns/op: lowest of ${ROUNDS} rounds' medians (a process per row, rounds interleaved across rows), ` +
        'each sample the mean of ~1 ms of awaited calls\n',
    );
  }

  const filter = options.filter;
  const progress = (what: string): void => {
    if (process.stderr.isTTY) process.stderr.write(`\rmeasuring ${what}\x1b[K`);
  };
  const noiseBefore = measureHostNoise();
  // Every case, and the concurrency check, in a process of its own.
  const names = ALL_CASES.map((c) => c.name).filter((name) => !filter || name === 'direct' || filter.test(name));
  const rows = await measureCases(names, progress);
  let concurrency: ConcurrencyResult | undefined;
  if (!filter || filter.test('10k concurrent')) {
    progress('10k concurrent');
    concurrency = await inChildProcess<ConcurrencyResult>('concurrency');
  }
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  const noiseAfter = measureHostNoise();
  const direct = rows.find((r) => r.name === 'direct')!.medianNs;
  const table: TableRow[] = rows.map((r) => ({ ...r, opsPerSec: 1e9 / r.medianNs, ratioToDirect: r.medianNs / direct }));
  const runInExecutor = await runInExecutorStatus();
  const targets = checkTargets(rows, concurrency);
  const elapsedS = (performance.now() - started) / 1000;

  if (options.json) {
    const document = {
      commit: gitCommit(),
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      cacheSize: CACHE_SIZE,
      rounds: ROUNDS,
      hostNoise: { before: noiseBefore, after: noiseAfter },
      rows: table,
      concurrency,
      runInExecutor,
      targets,
      elapsedS,
    };
    console.log(JSON.stringify(document, null, 2));
    return;
  }
  printTable(table);
  console.log();
  console.log(`host noise (median/fastest of a fixed allocate+hash loop; 1.0 = quiet): ${formatNoise(noiseBefore)} before, ${formatNoise(noiseAfter)} after`);
  if (concurrency) printConcurrency(concurrency);
  console.log(`@RunInExecutor CPU-bound vs in-process: ${runInExecutor.note} (declaration recorded: ${runInExecutor.recorded})`);
  printTargets(targets);
  console.log(`\n(${elapsedS.toFixed(0)} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
