// The performance targets, computed from one run's rows.
import type { ConcurrencyResult } from './cases/concurrency';
import type { Row } from './harness';

export interface TargetCheck {
  readonly target: string;
  /** undefined when a row it needs was not measured (filtered out). */
  readonly pass: boolean | undefined;
  readonly detail: string;
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
} as const;

const MAX_RSS_GROWTH_MB = 100;

export function us(ns: number): string {
  return `${(ns / 1000).toFixed(2)} µs`;
}

export function checkTargets(rows: readonly Row[], concurrency: ConcurrencyResult | undefined): TargetCheck[] {
  const median = new Map(rows.map((r) => [r.name, r.medianNs]));
  const need = (target: string, names: readonly string[], check: (...ns: number[]) => Omit<TargetCheck, 'target'>): TargetCheck => {
    const values = names.map((n) => median.get(n));
    if (values.some((v) => v === undefined)) return { target, pass: undefined, detail: `not measured: ${names.filter((_, i) => values[i] === undefined).join(', ')}` };
    return { target, ...check(...(values as number[])) };
  };

  const checks: TargetCheck[] = [
    need('hit <= 1.5 x (key + store get)', [ROW.hit, ROW.key, ROW.get], (hit, key, get) => {
      const limit = 1.5 * (key + get);
      return { pass: hit <= limit, detail: `hit ${us(hit)} vs limit 1.5 x (${us(key)} + ${us(get)}) = ${us(limit)}; overhead beyond key+get ${us(hit - key - get)}` };
    }),
    need('hit >= 15x faster than LangChain invoke', [ROW.hit, ROW.langchain], (hit, lc) => ({
      pass: lc / hit >= 15,
      detail: `LangChain ${us(lc)} / hit ${us(hit)} = ${(lc / hit).toFixed(1)}x`,
    })),
    need('miss <= 1.5 x (validation + key)', [ROW.miss, ROW.rawValidation, ROW.key, ROW.ourValidation], (miss, v, key, ours) => {
      const limit = 1.5 * (v + key);
      const share = miss - v - key;
      return {
        pass: miss <= limit,
        detail:
          `miss ${us(miss)} vs limit 1.5 x (${us(v)} class-transformer+class-validator + ${us(key)} key) = ${us(limit)}; ` +
          `framework's own share ${us(share)} = ${(share / v).toFixed(2)} x validation (goal < 0.5); ` +
          `of which @aiecs/validation's wrapper ${us(ours - v)}`,
      };
    }),
    need('miss >= 4x faster than LangChain invoke', [ROW.miss, ROW.langchain], (miss, lc) => ({
      pass: lc / miss >= 4,
      detail: `LangChain ${us(lc)} / miss ${us(miss)} = ${(lc / miss).toFixed(1)}x`,
    })),
  ];

  const c = concurrency;
  checks.push(
    c === undefined
      ? { target: '10k concurrent: all settled, peak RSS growth < 100 MB', pass: undefined, detail: 'not measured' }
      : {
          target: '10k concurrent: all settled, peak RSS growth < 100 MB',
          pass: c.fulfilled === c.calls && c.peakRssGrowthMb < MAX_RSS_GROWTH_MB,
          detail: `${c.fulfilled}/${c.calls} fulfilled, peak RSS growth ${c.peakRssGrowthMb.toFixed(1)} MB`,
        },
  );
  return checks;
}
