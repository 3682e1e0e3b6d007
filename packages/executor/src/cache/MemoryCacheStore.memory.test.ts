import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** What the child process measured (bytes of V8 heap in use, after full GCs). */
interface Measured {
  readonly entries: number;
  readonly perEntryBytes: number;
  readonly approxBytes: number;
  readonly grownBytes: number;
  readonly released: {
    readonly clear: number;
    readonly close: number;
    readonly delete: number;
    readonly expiry: number;
    readonly clearPrefix: number;
  };
}

const ENTRIES = 100_000;

/**
 * Runs the measurement in a child process started with --expose-gc (Jest's own heap would blur it):
 * fills a store with ENTRIES small entries keyed as the pipeline keys them (tool, operation, user, task
 * and a 3-field input; a small-number result), then empties it each way and reports the share of the
 * heap growth given back.
 */
function measure(): Measured {
  const repoRoot = path.resolve(__dirname, '../../../..');
  const script = `
    // Maps \`@aiecs/<pkg>\` to its sources (no build needed) and compiles TypeScript on the fly.
    const Module = require('node:module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      const m = /^@aiecs\\/([^/]+)$/.exec(request);
      return resolve.call(this, m ? require('node:path').join(${JSON.stringify(repoRoot)}, 'packages', m[1], 'src', 'index.ts') : request, ...rest);
    };
    require(${JSON.stringify(path.join(repoRoot, 'node_modules', 'ts-node'))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(repoRoot, 'tsconfig.json'))} });
    const { MemoryCacheStore } = require(${JSON.stringify(path.join(__dirname, 'MemoryCacheStore.ts'))});
    const { operationKeyFunction, toolKeyPrefix } = require(${JSON.stringify(path.join(__dirname, 'callKey.ts'))});
    const N = ${ENTRIES};
    const heap = () => { for (let i = 0; i < 3; i++) gc(); return process.memoryUsage().heapUsed; };
    let now = 1_700_000_000_000;
    const keyOf = operationKeyFunction('bench', 'add', true);
    const fill = (store, ttlMs) => { for (let i = 0; i < N; i++) store.set(keyOf('bench-user', 'bench-task', { a: i, b: 'hello world', c: true }), 52, ttlMs); };
    const newStore = () => new MemoryCacheStore({ maxSize: N, sweepIntervalMs: 0, now: () => now });
    const releasedBy = (empty, ttlMs = 0) => {
      let store = newStore();
      const before = heap();
      fill(store, ttlMs);
      const filled = heap();
      empty(store);
      const after = heap();
      return { before, filled, after, stats: store.getMemoryStats(), share: (filled - after) / (filled - before), keep: store };
    };
    const base = newStore();
    const before = heap();
    fill(base, 0);
    const filled = heap();
    const stats = base.getMemoryStats();
    base.close();
    const result = {
      entries: stats.entries,
      perEntryBytes: (filled - before) / N,
      approxBytes: stats.approxBytes,
      grownBytes: filled - before,
      released: {
        clear: releasedBy((s) => s.clear()).share,
        close: releasedBy((s) => s.close()).share,
        clearPrefix: releasedBy((s) => s.clear(toolKeyPrefix('bench'))).share,
        delete: releasedBy((s) => { for (let i = 0; i < N; i++) s.delete(keyOf('bench-user', 'bench-task', { a: i, b: 'hello world', c: true })); }).share,
        expiry: releasedBy((s) => { now += 2_000; s.sweep(); }, 1_000).share,
      },
    };
    process.stdout.write(JSON.stringify(result));
  `;
  const child = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  if (child.status !== 0) throw new Error(`measurement failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as Measured;
}

describe('MemoryCacheStore memory (measured with --expose-gc in a child process)', () => {
  let measured: Measured;
  beforeAll(() => {
    measured = measure();
    if (process.env.SHOW_MEMORY) console.log(JSON.stringify(measured));
  }, 180_000);

  it('holds a small entry in at most 250 B of heap', () => {
    expect(measured.entries).toBe(ENTRIES);
    expect(measured.perEntryBytes).toBeGreaterThan(50); // the measurement saw the entries at all
    expect(measured.perEntryBytes).toBeLessThanOrEqual(250);
  });

  it.each(['clear', 'close', 'clearPrefix', 'delete', 'expiry'] as const)('gives back at least 95 %% of it on %s', (how) => {
    expect(measured.released[how]).toBeGreaterThanOrEqual(0.95);
  });

  it('estimates its bytes (getMemoryStats().approxBytes) within 20 % of the measured heap', () => {
    expect(measured.approxBytes / measured.grownBytes).toBeGreaterThan(0.8);
    expect(measured.approxBytes / measured.grownBytes).toBeLessThan(1.2);
  });
});
