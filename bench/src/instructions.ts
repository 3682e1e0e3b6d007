// Instructions per call of one bench row, counted by valgrind's callgrind: repeatable on a noisy VM
// where wall-clock medians swing 2x between phases. Counts work, not time (cache misses and the JIT's
// choices under valgrind differ from a native run), so compare commits with it, not peers.
//
//   node -r ts-node/register/transpile-only -r tsconfig-paths/register src/instructions.ts hit
//   (run by `npm run -s instructions -w @aiecs/bench -- hit miss`)
import { spawnSync } from 'node:child_process';
import { findCase } from './cases';

const WARMUP_CALLS = 20_000;
const MEASURED_CALLS = 50_000;

async function runCalls(name: string, calls: number): Promise<void> {
  const def = findCase(name);
  if (!def) throw new Error(`no bench row named '${name}'`);
  const { fn } = await def.create();
  for (let i = 0; i < WARMUP_CALLS; i++) await fn();
  for (let i = 0; i < calls; i++) await fn();
}

/** Total instructions callgrind counted for this script running `calls` measured calls of `name`. */
function countInstructions(name: string, calls: number): number {
  const result = spawnSync(
    'valgrind',
    // --single-threaded: no concurrent compiler or GC threads, whose work callgrind would count too.
    ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', ...process.execArgv, __filename, '--child', name, String(calls)],
    { encoding: 'utf8', env: process.env },
  );
  const match = /Collected : (\d+)/.exec(result.stderr);
  if (!match) throw new Error(`callgrind printed no total for ${name}:\n${result.stderr.slice(-2000)}`);
  return Number(match[1]);
}

async function main(): Promise<void> {
  const [flag, ...rest] = process.argv.slice(2);
  if (flag === '--child') return runCalls(rest[0]!, Number(rest[1]));
  for (const name of [flag!, ...rest]) {
    // The difference of two runs cancels start-up, compilation and warm-up.
    const base = countInstructions(name, 0);
    const measured = countInstructions(name, MEASURED_CALLS);
    console.log(`${name.padEnd(28)} ${Math.round((measured - base) / MEASURED_CALLS).toLocaleString('en-US').padStart(8)} instructions/call`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
