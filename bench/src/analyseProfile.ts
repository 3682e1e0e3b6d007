// Reads a V8 .cpuprofile and aggregates self time per function (name + file:line), grouped by
// where the code lives: ours (packages/*), the bench, libraries (node_modules), Node internals, V8.
// Usage on its own: analyseProfile.ts <file.cpuprofile> [<sourcemaps.json>]
import * as fs from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

/** The JSON `node --cpu-prof` writes. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export type Category = 'ours' | 'bench' | 'library' | 'node' | 'v8';

export interface FunctionTime {
  readonly category: Category;
  readonly name: string;
  /** file:line (TypeScript line for our code when its source map is known). */
  readonly location: string;
  /** Time with this function on top of the stack (µs). */
  selfUs: number;
  /** Time with this function anywhere on the stack (µs). */
  totalUs: number;
}

export interface Analysis {
  /** Sampled time analysed (idle excluded). */
  readonly totalUs: number;
  readonly byCategory: Readonly<Record<Category, number>>;
  readonly functions: readonly FunctionTime[];
}

function categorise(file: string, repo: string): Category {
  if (file === '') return 'v8';
  if (file.startsWith('node:')) return 'node';
  if (file.includes(`${path.sep}node_modules${path.sep}`)) return 'library';
  if (file.startsWith(path.join(repo, 'packages') + path.sep)) return 'ours';
  if (file.startsWith(repo + path.sep)) return 'bench';
  return 'library';
}

function toFile(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url;
}

/** A time range on the profile's clock (monotonic µs, as `process.hrtime`). */
export interface TimeWindow {
  readonly startUs: number;
  readonly endUs: number;
}

/**
 * Aggregates `profile`; `sourceMaps` (absolute file -> source map payload) turn generated lines into .ts
 * lines; with `window`, only the samples taken inside it count (the loop, not start-up and compilation).
 */
export function analyseProfile(profile: CpuProfile, sourceMaps: Record<string, unknown>, repo: string, window?: TimeWindow): Analysis {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const maps = new Map<string, SourceMap>();
  const mapFor = (file: string): SourceMap | undefined => {
    if (!(file in sourceMaps)) return undefined;
    let map = maps.get(file);
    if (!map) maps.set(file, (map = new SourceMap(sourceMaps[file] as SourceMapPayload)));
    return map;
  };

  // One record per function, shared by every node of that function.
  const records = new Map<string, FunctionTime>();
  const recordOf = new Map<number, FunctionTime>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const file = toFile(url);
    const category = categorise(file, repo);
    let line = lineNumber + 1;
    // findEntry answers {} where no mapping covers the position.
    const entry =
      lineNumber >= 0
        ? (mapFor(file)?.findEntry(lineNumber, Math.max(0, columnNumber)) as { originalLine?: number } | undefined)
        : undefined;
    if (typeof entry?.originalLine === 'number') line = entry.originalLine + 1;
    const name = functionName || '(anonymous)';
    const location = file === '' ? '' : `${category === 'node' ? file : path.relative(repo, file)}:${line}`;
    const key = `${category}|${name}|${location}`;
    let record = records.get(key);
    if (!record) records.set(key, (record = { category, name, location, selfUs: 0, totalUs: 0 }));
    recordOf.set(node.id, record);
  }

  const byCategory: Record<Category, number> = { ours: 0, bench: 0, library: 0, node: 0, v8: 0 };
  let totalUs = 0;
  const { samples, timeDeltas } = profile;
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += timeDeltas[i]!;
    if (window && (at < window.startUs || at > window.endUs)) continue;
    // A sample lasts until the next one (DevTools' convention); the last one gets nothing.
    const us = i + 1 < timeDeltas.length ? timeDeltas[i + 1]! : 0;
    const leaf = recordOf.get(samples[i]!)!;
    if (leaf.name === '(idle)') continue;
    totalUs += us;
    leaf.selfUs += us;
    byCategory[leaf.category] += us;
    const seen = new Set<FunctionTime>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
      const record = recordOf.get(id)!;
      if (!seen.has(record)) {
        seen.add(record);
        record.totalUs += us;
      }
    }
  }
  const functions = [...records.values()].filter((r) => r.selfUs > 0 || r.totalUs > 0).sort((a, b) => b.selfUs - a.selfUs);
  return { totalUs, byCategory, functions };
}

function pct(us: number, total: number): string {
  return `${((100 * us) / total).toFixed(1)}%`.padStart(6);
}

function printFunctions(title: string, functions: readonly FunctionTime[], total: number, limit: number): void {
  console.log(`\n${title}`);
  console.log(`  ${'self'.padStart(6)} ${'total'.padStart(6)}  function  (file:line)`);
  for (const f of functions.slice(0, limit)) {
    console.log(`  ${pct(f.selfUs, total)} ${pct(f.totalUs, total)}  ${f.name}${f.location ? `  (${f.location})` : ''}  [${f.category}]`);
  }
}

export function printAnalysis(caseName: string, analysis: Analysis, limit = 10): void {
  const { totalUs, byCategory, functions } = analysis;
  const rootless = functions.filter((f) => f.name !== '(root)' && f.name !== '(program)');
  console.log(`\nprofile of "${caseName}": ${(totalUs / 1000).toFixed(0)} ms sampled (idle excluded)`);
  console.log(
    '  self time by origin: ' + (Object.keys(byCategory) as Category[]).map((c) => `${c} ${pct(byCategory[c], totalUs).trim()}`).join(', '),
  );
  printFunctions(
    `top ${limit} self time, ours (packages/*):`,
    rootless.filter((f) => f.category === 'ours'),
    totalUs,
    limit,
  );
  printFunctions(
    `top ${limit} self time, libraries, Node and V8:`,
    rootless.filter((f) => f.category === 'library' || f.category === 'node' || f.category === 'v8'),
    totalUs,
    limit,
  );
}

if (require.main === module) {
  const [profileFile, mapsFile] = process.argv.slice(2);
  if (!profileFile) {
    console.error('usage: analyseProfile.ts <file.cpuprofile> [<sourcemaps.json>]');
    process.exit(2);
  }
  const maps = mapsFile ? (JSON.parse(fs.readFileSync(mapsFile, 'utf8')) as Record<string, unknown>) : {};
  const repo = path.resolve(__dirname, '..', '..');
  printAnalysis(path.basename(profileFile), analyseProfile(JSON.parse(fs.readFileSync(profileFile, 'utf8')) as CpuProfile, maps, repo));
}
