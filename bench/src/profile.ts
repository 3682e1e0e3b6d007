// `npm run profile -w @aiecs/bench -- <case> [seconds]`: runs one bench case in a loop under
// `node --cpu-prof` (in a child process), then prints the top self-time functions (analyseProfile.ts).
// Output: bench/profiles/<case>.cpuprofile (+ the source maps of our TypeScript), git-ignored.
import { spawnSync } from 'node:child_process';
import { findSourceMap } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyseProfile, printAnalysis } from './analyseProfile';
import { ALL_CASES, findCase } from './cases/index';

const CHILD = 'AIECS_PROFILE_CHILD';
/** Entry of the sidecar file holding the loop's time window rather than a source map. */
const WINDOW_KEY = '(window)';
const PROFILES = path.resolve(__dirname, '..', 'profiles');
const REPO = path.resolve(__dirname, '..', '..');
/** Sampling interval of the profiler (µs); Node's default is 1000. */
const INTERVAL_US = 100;

function slug(name: string): string {
  return name
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

/** In the child: the loop being profiled. */
async function runLoop(name: string, seconds: number): Promise<void> {
  const selected = await findCase(name)!.create();
  // Warm-up, left out of the analysis: the optimising compiler needs the best part of a second here.
  const warm = performance.now() + 1_500;
  for (let i = 0; i < 5_000 || performance.now() < warm; i++) await selected.fn();
  // Same clock as the profile's timestamps (monotonic, µs), so the analysis keeps only the loop.
  const loopStartUs = Number(process.hrtime.bigint() / 1000n);
  const until = performance.now() + seconds * 1000;
  let calls = 0;
  // Awaited one by one, like the bench; the clock is read once per 1024 calls.
  while (performance.now() < until) {
    for (let i = 0; i < 1024; i++) await selected.fn();
    calls += 1024;
  }
  const loopEndUs = Number(process.hrtime.bigint() / 1000n);
  console.error(`${name}: ${calls} calls in ${seconds} s, ${((seconds * 1e9) / calls).toFixed(0)} ns/call (profiler on)`);
  // Source maps of our transpiled TypeScript, so the analysis reports .ts lines.
  const maps: Record<string, unknown> = { [WINDOW_KEY]: { startUs: loopStartUs, endUs: loopEndUs } };
  for (const file of Object.keys(require.cache)) {
    if (!file.startsWith(REPO) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    const map = findSourceMap(file);
    if (map) maps[file] = map.payload;
  }
  fs.writeFileSync(path.join(PROFILES, `${slug(name)}.sourcemaps.json`), JSON.stringify(maps));
}

async function main(): Promise<void> {
  const [name, secondsArg = '5'] = process.argv.slice(2);
  const seconds = Number(secondsArg);
  // The case may hold sockets or servers (Redis, MCP): exit once the loop is done, which writes the profile.
  if (process.env[CHILD]) return runLoop(name!, seconds).then(() => process.exit(0));

  const names = ALL_CASES.map((c) => c.name);
  if (name === undefined || !names.includes(name) || !(seconds > 0)) {
    console.error(`usage: npm run profile -w @aiecs/bench -- <case> [seconds]\ncases: ${names.map((n) => JSON.stringify(n)).join(', ')}`);
    process.exit(2);
  }
  fs.mkdirSync(PROFILES, { recursive: true });
  const profile = path.join(PROFILES, `${slug(name)}.cpuprofile`);
  const child = spawnSync(
    process.execPath,
    [
      '--enable-source-maps',
      '--cpu-prof',
      `--cpu-prof-dir=${PROFILES}`,
      `--cpu-prof-name=${path.basename(profile)}`,
      `--cpu-prof-interval=${INTERVAL_US}`,
      ...process.execArgv,
      __filename,
      name,
      String(seconds),
    ],
    { stdio: 'inherit', env: { ...process.env, [CHILD]: '1' } },
  );
  if (child.status !== 0) throw new Error(`profiled run failed (${child.status ?? child.signal})`);
  const sidecar = JSON.parse(fs.readFileSync(path.join(PROFILES, `${slug(name)}.sourcemaps.json`), 'utf8')) as Record<string, unknown>;
  const window = sidecar[WINDOW_KEY] as { startUs: number; endUs: number };
  delete sidecar[WINDOW_KEY];
  printAnalysis(name, analyseProfile(JSON.parse(fs.readFileSync(profile, 'utf8')), sidecar, REPO, window));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
