// The performance targets, computed from one run's rows (ratios within the run), and their verdicts over runs.
import type { ConcurrencyResult } from './cases/concurrency';
import { handRow, SHA256_1MB_ROW } from './cases/handwritten';
import type { MemoryResult } from './cases/memory';
import { hitRow, missRow } from './cases/realistic';
import type { Row } from './harness';
import { REALISTIC, TEXT_1MB, WIDE_100 } from './inputs';

export interface TargetCheck {
  readonly target: string;
  /** undefined when a row it needs was not measured (filtered out). */
  readonly pass: boolean | undefined;
  readonly detail: string;
  /** Measured / allowed (the target holds when it is at most 1): how close the run came, comparable across runs. */
  readonly ratio?: number;
}

/** Row names the targets read. */
export const ROW = {
  hit: 'hit',
  miss: 'miss',
  key: 'key: generateCacheKey',
  get: 'store: MemoryCacheStore.get hit',
  rawValidation: 'validate: plainToInstance+validateSync',
  ourValidation: 'validate: createInputValidator',
  langchain: 'langchain tool().invoke',
  realisticHit: hitRow(REALISTIC),
  realisticMiss: missRow(REALISTIC),
  cvRealisticHit: handRow('cv', REALISTIC, 'hit'),
  zodRealisticHit: handRow('zod', REALISTIC, 'hit'),
  zodRealisticMiss: handRow('zod', REALISTIC, 'miss'),
  wideMiss: missRow(WIDE_100),
  zodWideMiss: handRow('zod', WIDE_100, 'miss'),
  bigHit: hitRow(TEXT_1MB),
  bigMiss: missRow(TEXT_1MB),
  sha256: SHA256_1MB_ROW,
  mcpHit: 'mcp tools/call: ours, hit',
  mcpMiss: 'mcp tools/call: ours, miss',
  mcpBare: 'mcp tools/call: bare SDK server, zod',
  redisHit: 'redis: hit, run()',
  redisGet: 'redis: raw ioredis getBuffer (same bytes)',
} as const;

const MAX_RSS_GROWTH_MB = 100;
const MAX_BYTES_PER_ENTRY = 250;
const MIN_RELEASED = 0.95;

export function us(ns: number): string {
  return `${(ns / 1000).toFixed(2)} µs`;
}

/** A check that `measured <= factor x reference`. */
function atMost(measured: number, factor: number, reference: number, describe: string): Omit<TargetCheck, 'target'> {
  const limit = factor * reference;
  return {
    pass: measured <= limit,
    ratio: measured / limit,
    detail: `${describe}: ${us(measured)} vs ${factor} x ${us(reference)} = ${us(limit)} (${(measured / reference).toFixed(2)}x)`,
  };
}

export function checkTargets(rows: readonly Row[], concurrency: ConcurrencyResult | undefined, memory?: MemoryResult): TargetCheck[] {
  const median = new Map(rows.map((r) => [r.name, r.medianNs]));
  const need = (target: string, names: readonly string[], check: (...ns: number[]) => Omit<TargetCheck, 'target'>): TargetCheck => {
    const values = names.map((n) => median.get(n));
    if (values.some((v) => v === undefined))
      return { target, pass: undefined, detail: `not measured: ${names.filter((_, i) => values[i] === undefined).join(', ')}` };
    return { target, ...check(...(values as number[])) };
  };

  const checks: TargetCheck[] = [
    // Issue 14: ratios against the hand-written stacks and SHA-256, in the same run.
    need(
      'realistic hit <= 1.0 x the fastest hand-written cached stack hit',
      [ROW.realisticHit, ROW.cvRealisticHit, ROW.zodRealisticHit],
      (hit, cv, zod) =>
        atMost(hit, 1, Math.min(cv, zod), `realistic hit vs ${cv <= zod ? 'cv+cockatiel+mnemonist' : 'zod+lru-cache+p-retry'} hit`),
    ),
    need(
      'realistic miss <= 0.5 x the zod stack miss (validate, sanitize, key, retry, timeout, store on)',
      [ROW.realisticMiss, ROW.zodRealisticMiss],
      (miss, zod) => atMost(miss, 0.5, zod, 'realistic miss vs zod+lru-cache+p-retry miss'),
    ),
    need('100-field miss <= 1.0 x the zod stack miss', [ROW.wideMiss, ROW.zodWideMiss], (miss, zod) =>
      atMost(miss, 1, zod, '100-field miss vs zod stack'),
    ),
    need('1 MB string field: hit <= 2 x one sha256 pass', [ROW.bigHit, ROW.sha256], (hit, sha) =>
      atMost(hit, 2, sha, '1 MB hit vs sha256(1 MB)'),
    ),
    need('1 MB string field: miss <= 4 x one sha256 pass', [ROW.bigMiss, ROW.sha256], (miss, sha) =>
      atMost(miss, 4, sha, '1 MB miss vs sha256(1 MB)'),
    ),
    // Issue 11: tools/call over the SDK's in-memory transport, ours against the bare SDK server.
    need('MCP tools/call: our hit faster than the bare SDK server (uncached)', [ROW.mcpHit, ROW.mcpBare], (hit, bare) => ({
      pass: hit < bare,
      ratio: hit / bare,
      detail: `our hit ${us(hit)} vs bare ${us(bare)} (${(hit / bare).toFixed(2)}x)`,
    })),
    need('MCP tools/call: our miss <= 1.3 x the bare SDK server', [ROW.mcpMiss, ROW.mcpBare], (miss, bare) =>
      atMost(miss, 1.3, bare, 'our miss vs bare SDK server'),
    ),
    // Issue 13: a hit through the pipeline on the Redis store against the raw client's GET of the same bytes.
    need('Redis hit through the pipeline <= 1.3 x a raw GET', [ROW.redisHit, ROW.redisGet], (hit, get) =>
      atMost(hit, 1.3, get, 'Redis hit vs raw getBuffer'),
    ),
    // The earlier README targets.
    need('hit <= 1.5 x (key + store get)', [ROW.hit, ROW.key, ROW.get], (hit, key, get) => atMost(hit, 1.5, key + get, 'hit vs key + get')),
    need('hit >= 15x faster than LangChain invoke', [ROW.hit, ROW.langchain], (hit, lc) => ({
      pass: lc / hit >= 15,
      ratio: 15 / (lc / hit),
      detail: `LangChain ${us(lc)} / hit ${us(hit)} = ${(lc / hit).toFixed(1)}x`,
    })),
    need('miss <= 1.5 x (validation + key)', [ROW.miss, ROW.rawValidation, ROW.key], (miss, v, key) =>
      atMost(miss, 1.5, v + key, 'miss vs class-transformer+class-validator + key'),
    ),
    need('miss >= 4x faster than LangChain invoke', [ROW.miss, ROW.langchain], (miss, lc) => ({
      pass: lc / miss >= 4,
      ratio: 4 / (lc / miss),
      detail: `LangChain ${us(lc)} / miss ${us(miss)} = ${(lc / miss).toFixed(1)}x`,
    })),
  ];

  const ours = memory?.caches[0];
  checks.push(
    ours === undefined
      ? { target: `<= ${MAX_BYTES_PER_ENTRY} B of heap per small cached entry`, pass: undefined, detail: 'not measured' }
      : {
          target: `<= ${MAX_BYTES_PER_ENTRY} B of heap per small cached entry`,
          pass: ours.bytesPerEntry <= MAX_BYTES_PER_ENTRY,
          ratio: ours.bytesPerEntry / MAX_BYTES_PER_ENTRY,
          detail: `${ours.bytesPerEntry.toFixed(0)} B per entry (${ours.entries} entries; getMemoryStats estimate ${ours.approxBytesPerEntry?.toFixed(0)} B)`,
        },
    ours === undefined
      ? { target: '>= 95 % of it released by clear()', pass: undefined, detail: 'not measured' }
      : {
          target: '>= 95 % of it released by clear()',
          pass: 1 - ours.retainedAfterClear >= MIN_RELEASED,
          ratio: ours.retainedAfterClear / (1 - MIN_RELEASED),
          detail: `${((1 - ours.retainedAfterClear) * 100).toFixed(1)} % released`,
        },
  );

  const c = concurrency;
  checks.push(
    c === undefined
      ? { target: '10k concurrent: all settled, peak RSS growth < 100 MB', pass: undefined, detail: 'not measured' }
      : {
          target: '10k concurrent: all settled, peak RSS growth < 100 MB',
          pass: c.fulfilled === c.calls && c.peakRssGrowthMb < MAX_RSS_GROWTH_MB,
          ratio: c.fulfilled === c.calls ? c.peakRssGrowthMb / MAX_RSS_GROWTH_MB : Number.POSITIVE_INFINITY,
          detail: `${c.fulfilled}/${c.calls} fulfilled, peak RSS growth ${c.peakRssGrowthMb.toFixed(1)} MB`,
        },
  );
  return checks;
}

/** A target over several runs: met only if it held in every run that measured it. */
export interface TargetVerdict {
  readonly target: string;
  /** undefined when no run measured it. */
  readonly met: boolean | undefined;
  readonly runsMet: number;
  readonly runsMeasured: number;
  /** The run that came closest to missing (or missed by most): the highest ratio. */
  readonly worst: TargetCheck | undefined;
}

export function verdicts(runs: readonly (readonly TargetCheck[])[]): TargetVerdict[] {
  const targets = runs[0]?.map((c) => c.target) ?? [];
  return targets.map((target) => {
    const checks = runs
      .map((run) => run.find((c) => c.target === target))
      .filter((c): c is TargetCheck => c !== undefined && c.pass !== undefined);
    const worst = checks.reduce<TargetCheck | undefined>((w, c) => (w === undefined || (c.ratio ?? 0) > (w.ratio ?? 0) ? c : w), undefined);
    const runsMet = checks.filter((c) => c.pass).length;
    return { target, met: checks.length === 0 ? undefined : runsMet === checks.length, runsMet, runsMeasured: checks.length, worst };
  });
}
