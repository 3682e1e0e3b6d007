// The sanitiser on 1 MB strings: rows for the table (each call checks 1 MiB, so ops/s reads as MiB/s), and,
// run directly, every rule on every adversarial string with its MiB/s and the prose / quote-heavy ratio:
//   cd bench && TS_NODE_PROJECT=../tsconfig.json node -r ts-node/register/transpile-only -r tsconfig-paths/register src/cases/sanitizer.ts
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
// Not exported for rows: the functions the stages build once per operation.
import { inputSize } from '../../../packages/executor/src/concerns/inputSize';
import { measureInput } from '../../../packages/executor/src/security/inputSize';
import { findInstruction } from '../../../packages/executor/src/security/instructionRules';
import { decodePath } from '../../../packages/executor/src/security/decodePath';
import { createSanitizer } from '../../../packages/executor/src/security/sanitizeInput';
import { BUILTIN_RULE_NAMES, BUILTIN_SECURITY_RULES } from '../../../packages/executor/src/security/securityRules';
import type { CaseDef } from '../harness';

const MIB = 1 << 20;

/** `unit` repeated to exactly `bytes` characters, as one flat string (not a rope of repeats). */
function fill(unit: string, bytes = MIB): string {
  return Buffer.from(unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes), 'latin1').toString('latin1');
}

function benignCorpus(): string {
  for (const dir of [
    path.resolve(__dirname, '../../../../shared/security-corpus'),
    path.resolve(__dirname, '../../../packages/executor/test/security-corpus'),
  ]) {
    try {
      return readFileSync(path.join(dir, 'benign-text.txt'), 'utf8').replace(/\r?\n/g, ' ');
    } catch {
      /* next */
    }
  }
  return 'Please select the best flight; I need it by Friday. ';
}

/** 1 MiB of text as users write it: the benign corpus (SQL words, quotes, dashes, semicolons, accents), repeated. */
export const PROSE = (): string =>
  Buffer.from(benignCorpus().repeat(Math.ceil(MIB / 1000)))
    .subarray(0, MIB)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
/** 1 MiB of quote-heavy text: quotations, apostrophes, parentheses, `=` and `;` in every sentence. */
export const QUOTE_HEAVY = (): string => fill(`He said "it's 'fine' (really)"; O'Brien's 'x' = "y" and (a) 'b' or "c". `);

/** Strings built to make each rule work hardest (long runs of what it scans for, never a match). */
export const ADVERSARIAL: ReadonlyArray<readonly [name: string, make: () => string]> = [
  ['prose', PROSE],
  ['quote-heavy', QUOTE_HEAVY],
  ["quotes ''''", () => fill("'")],
  ["closing quote + or: 'x' or ", () => fill("'x' or ")],
  ["opening quote + clause: x' order by ", () => fill("x' order by ")],
  ['in-word apostrophes', () => fill("a'b ")],
  ["comment + quotes /*'''", () => '/*' + fill("'", MIB - 2)],
  ['or + long word', () => ' or ' + fill('a', MIB - 6) + '=b'],
  ['union select + words', () => 'union select ' + fill('a ', MIB - 13)],
  ['; drop table + long name', () => '; drop table ' + fill('a', MIB - 15) + ' x'],
  ['%c0 runs', () => fill('%c0')],
  ['backslash-zero runs', () => fill('\\0123')],
  ['open tags <a ', () => fill('<a ')],
  ['tag attributes <a onx', () => fill('<a onx')],
  ['entities &#x3c;', () => fill('&#x3c;')],
  ['ignore the previous', () => fill('ignore the previous ')],
];

/** MiB/s of `fn` over a 1 MiB input: the best of `rounds` timed calls after a warm-up. */
function mibPerSecond(fn: () => unknown, rounds = 5): number {
  for (let i = 0; i < 2; i++) fn();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const started = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - started));
  }
  return 1e9 / best;
}

/** MiB/s of each of `fns` (1 MiB inputs), timed in alternation: the best of `rounds` calls each. */
function interleaved(fns: ReadonlyArray<() => unknown>, rounds: number): number[] {
  for (const fn of fns) fn();
  const best = fns.map(() => Number.POSITIVE_INFINITY);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, i) => {
      const started = process.hrtime.bigint();
      fn();
      best[i] = Math.min(best[i]!, Number(process.hrtime.bigint() - started));
    });
  }
  return best.map((ns) => 1e9 / ns);
}

/** The whole default sanitiser on one field; a rejection would mean a false positive (the row fails). */
function sanitizeCase(make: () => string): CaseDef['create'] {
  return () => {
    const sanitize = createSanitizer({});
    const input = { text: make() };
    sanitize(input);
    return { fn: () => sanitize(input) };
  };
}

/** Rows for `npm run bench`: the default sanitiser on 1 MiB of prose and of quote-heavy text, and the size refusal. */
export const sanitizerCases: readonly CaseDef[] = [
  { name: 'sanitizer 1 MiB prose (ops/s = MiB/s)', create: sanitizeCase(PROSE) },
  { name: 'sanitizer 1 MiB quote-heavy (ops/s = MiB/s)', create: sanitizeCase(QUOTE_HEAVY) },
  {
    name: 'inputSize: 300k emoji vs 1 MiB limit, refused',
    create: () => {
      const stage = inputSize.create({ maxBytes: MIB }, undefined as never);
      const handler = stage.wrap(() => Promise.reject(new Error('the next stage ran')));
      const input = { text: '😀'.repeat(300_000) };
      const refuse = () => handler(undefined as never, input).catch((error: Error) => error.name);
      return { fn: refuse, expect: 'SecurityError' };
    },
  },
];

/** Prints every rule on every adversarial string, then the sanitiser's prose / quote-heavy ratio. */
function main(): void {
  const rules = BUILTIN_RULE_NAMES.flatMap((group) => BUILTIN_SECURITY_RULES[group]);
  const checks: Array<readonly [string, (value: string) => unknown]> = [
    ...rules.map((rule) => [rule.id, (value: string) => rule.matches(value)] as const),
    ['promptInjection (output screen)', findInstruction],
    ['decodePath (confinement)', decodePath],
    ['measureInput (maxInputSize)', (value: string) => measureInput({ value }, Number.MAX_SAFE_INTEGER)],
  ];
  const strings = ADVERSARIAL.map(([name, make]) => [name, make()] as const);
  const worst: Array<[string, number, string]> = [];
  console.log(`MiB/s per check on 1 MiB strings (node ${process.version}; best of 5)\n`);
  for (const [id, check] of checks) {
    const rates = strings.map(([name, value]) => [name, mibPerSecond(() => check(value))] as const);
    const slowest = rates.reduce((a, b) => (b[1] < a[1] ? b : a));
    worst.push([id, slowest[1], slowest[0]]);
    console.log(
      `${id.padEnd(34)} slowest ${slowest[1].toFixed(0).padStart(6)} MiB/s (${slowest[0]})   ${rates.map(([n, r]) => `${n}: ${r.toFixed(0)}`).join(', ')}`,
    );
  }
  // Prose and quote-heavy timed in alternation, so a slow phase of the host hits both alike.
  const sanitize = createSanitizer({});
  const [prose, quotes] = interleaved([() => sanitize({ text: strings[0]![1] }), () => sanitize({ text: strings[1]![1] })], 11);
  const ratio = Math.max(prose, quotes) / Math.min(prose, quotes);
  console.log(
    `\nsanitizer (default rules): prose ${prose.toFixed(0)} MiB/s, quote-heavy ${quotes.toFixed(0)} MiB/s, ratio ${ratio.toFixed(2)}x (target <= 2x: ${ratio <= 2 ? 'MET' : 'MISSED'})`,
  );
  console.log(
    `slowest check anywhere: ${worst
      .reduce((a, b) => (b[1] < a[1] ? b : a))
      .map(String)
      .join(' / ')} MiB/s`,
  );
}

if (require.main === module) main();
