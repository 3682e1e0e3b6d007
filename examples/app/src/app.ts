import { isAiecsError, TimeoutError } from '@aiecs/core';
import {
  createApp,
  TOOL_EVENT_NAMES,
  type AppHealthReport,
  type MetricsSnapshot,
  type OperationDescriptor,
  type ToolEventBase,
  type ToolEventListener,
  type ToolEventName,
} from '@aiecs/executor';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDemoServer, type DemoServer } from './demoServer';
import { fileToolFor, type DirectoryEntry } from './FileTool';
import { HttpFetchTool, type HttpResponse } from './HttpFetchTool';
import { StatsTool, type Summary } from './StatsTool';

/** What `runApp` observed, for tests and for whoever wants more than the printed lines. */
export interface AppRunSummary {
  /** Every line printed, in order. */
  readonly lines: readonly string[];
  /** `app.getMetrics()` before the app closed, by tool name. */
  readonly metrics: Readonly<Record<string, MetricsSnapshot>>;
  /** Events seen by the app's listener: by name (`retry`) and by name and operation (`retry http.get`). */
  readonly events: Readonly<Record<string, number>>;
  /** `app.healthCheck()` before the app closed. */
  readonly health: AppHealthReport;
  /** The temporary directory the example made (removed before `runApp` returns) and the file tool's root in it. */
  readonly tempDir: string;
  readonly root: string;
  /** Port the demo server listened on (closed before `runApp` returns) and the requests it got, by path. */
  readonly serverPort: number;
  readonly serverHits: Readonly<Record<string, number>>;
  /** The errors the tour provoked, as the caller received them. */
  readonly errors: {
    readonly traversal: unknown;
    readonly confinement: unknown;
    readonly slow: unknown;
    readonly write: unknown;
  };
  readonly flaky: HttpResponse;
  readonly stats: Summary;
  readonly listing: readonly DirectoryEntry[];
}

/** A listener that counts every event, by name and by name and operation. */
export function countingListener(counts: Record<string, number>): ToolEventListener {
  const bump = (key: string) => void (counts[key] = (counts[key] ?? 0) + 1);
  const listener: { [E in ToolEventName]?: (event: ToolEventBase) => void } = {};
  for (const name of TOOL_EVENT_NAMES) {
    listener[name] = (event) => {
      bump(name);
      bump(`${name} ${event.tool}.${event.operation}`);
    };
  }
  return listener;
}

/** The files the file tool works on, and a link that leads out of its directory. */
async function makeWorkspace(tempDir: string): Promise<string> {
  const root = path.join(tempDir, 'workspace');
  const outside = path.join(tempDir, 'outside');
  await mkdir(path.join(root, 'data'), { recursive: true });
  await mkdir(path.join(root, 'reports'));
  await mkdir(outside);
  await writeFile(path.join(root, 'notes.txt'), 'Q3 latency review\nservice: checkout\n');
  await writeFile(path.join(root, 'data', 'latencies.txt'), '12 15 11 40 13 14 12 16\n');
  await writeFile(path.join(outside, 'secret.txt'), 'not for the tool\n');
  // A link inside the directory pointing outside it: a path through it passes @Sanitize, not the tool.
  await symlink(outside, path.join(root, 'shared'), 'dir');
  return root;
}

function sideEffects(op: OperationDescriptor): string {
  const { readOnly, destructive, idempotent, openWorld } = op.sideEffects;
  const flags = [
    readOnly && 'readOnly',
    destructive && 'destructive',
    idempotent === false && 'non-idempotent',
    openWorld && 'openWorld',
    op.cached && 'cached',
  ];
  return flags.filter(Boolean).join(', ');
}

function describeError(error: unknown): string {
  if (!isAiecsError(error)) return String(error);
  return `${error.name} [${error.code}, ${error.kind}]: ${error.message}`;
}

/**
 * The tour: three tools (files confined to a temporary directory, HTTP against a local server, statistics)
 * registered in one app, on one runtime and one cache. Reports each step through `print`; everything it
 * creates (app, server, directory) is gone when it returns.
 */
export async function runApp(print: (line: string) => void): Promise<AppRunSummary> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    print(line);
  };
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'aiecs-app-'));
  let server: DemoServer | undefined;
  try {
    const root = await makeWorkspace(tempDir);
    server = await startDemoServer();
    const events: Record<string, number> = {};
    const FileTool = fileToolFor(root);
    await using app = createApp({
      tools: [FileTool, HttpFetchTool, StatsTool],
      listeners: [countingListener(events)],
      config: { retryBackoffMs: 20, logLevel: 'silent' },
    });
    const ctx = { userId: 'analyst', taskId: 'q3-review' };

    say('operations:');
    for (const op of app.operations()) say(`  ${op.qualifiedName.padEnd(16)} ${`[${sideEffects(op)}]`.padEnd(32)} ${op.description ?? ''}`);
    const caches = new Set(app.tools().map((t) => app.tool(t.name).executor.cache));
    say(
      `tools: ${app
        .tools()
        .map((t) => t.name)
        .join(', ')}; cache stores: ${caches.size}; file root: ${app.tool(FileTool).root}`,
    );

    // 1. A read, then the same read again: the second is answered by the cache.
    const notes = (await app.run('file.read', { path: 'notes.txt' }, ctx)) as string;
    say(`1. file.read notes.txt          -> ${JSON.stringify(notes.split('\n')[0])} (file.cacheHits: ${app.getMetrics().file.cacheHits})`);
    await app.run('file.read', { path: 'notes.txt' }, ctx);
    say(`2. file.read notes.txt again    -> cache hit (file.cacheHits: ${app.getMetrics().file.cacheHits})`);

    // 2. Leaving the directory: `..` is caught by @Sanitize, a link by the tool's own check.
    const traversal = await app.run('file.read', { path: '../outside/secret.txt' }, ctx).catch((e: unknown) => e);
    say(`3. file.read ../outside/…       -> ${describeError(traversal)}`);
    const confinement = await app.run('file.read', { path: 'shared/secret.txt' }, ctx).catch((e: unknown) => e);
    say(`4. file.read shared/secret.txt  -> ${describeError(confinement)}`);

    // 3. A flaky endpoint (503 once) recovered by @Retry; a slow one cut off by the caller's deadline.
    const flaky = (await app.run('http.get', { url: `${server.url}/flaky` }, ctx)) as HttpResponse;
    const get = app.getMetrics().http.byOperation.get;
    say(
      `5. http.get /flaky              -> ${flaky.status} ${JSON.stringify(flaky.body)} after ${get.measured} attempts ` +
        `(retry events: ${events['retry http.get'] ?? 0}, server saw ${server.hits.get('/flaky')} requests)`,
    );
    const slow = await app
      .run('http.get', { url: `${server.url}/slow` }, { ...ctx, deadlineMs: Date.now() + 200 })
      .catch((e: unknown) => e);
    say(
      `6. http.get /slow (200 ms)      -> ${slow instanceof TimeoutError ? `TimeoutError (scope ${slow.scope}, ${slow.timeoutMs} ms)` : describeError(slow)}`,
    );

    // 4. Numbers from a file, summarised by the stats tool.
    const csv = (await app.run('file.read', { path: 'data/latencies.txt' }, ctx)) as string;
    const values = csv.split(/\s+/).filter(Boolean).map(Number);
    const stats = (await app.run('stats.summarize', { values }, ctx)) as Summary;
    say(
      `7. stats.summarize latencies    -> n=${stats.count} mean=${stats.mean} median=${stats.median} stddev=${stats.stddev.toFixed(3)} min=${stats.min} max=${stats.max}`,
    );

    // 5. A destructive, non-idempotent write that fails is not retried (the tool-wide default is 3 attempts).
    const write = await app.run('file.write', { path: 'reports', content: 'oops' }, ctx).catch((e: unknown) => e);
    const cause = (write as { cause?: { code?: string } } | undefined)?.cause?.code;
    const failedWrite = app.getMetrics().file.byOperation.write;
    say(
      `8. file.write reports (a dir)   -> ${isAiecsError(write) ? write.name : String(write)} (${cause}); attempts: ${failedWrite.measured}, retries: ${failedWrite.retries}`,
    );
    const written = await app.run('file.write', { path: 'reports/latency-summary.json', content: JSON.stringify(stats) }, ctx);
    const listing = (await app.run('file.list', { dir: 'reports' }, ctx)) as DirectoryEntry[];
    say(`9. file.write + file.list       -> ${JSON.stringify(written)}; reports/: ${listing.map((e) => e.name).join(', ')}`);

    const health = await app.healthCheck();
    say(
      `health: ${health.status} (${Object.entries(health.tools)
        .map(([name, report]) => `${name}: ${report.status}`)
        .join(', ')})`,
    );
    const metrics = app.getMetrics();
    for (const [name, m] of Object.entries(metrics)) {
      say(
        `metrics ${name.padEnd(5)}: requests=${m.requests} failures=${m.failures} hits=${m.cacheHits} misses=${m.cacheMisses} retries=${m.retries} timeouts=${m.timeouts}`,
      );
    }
    const byName = TOOL_EVENT_NAMES.filter((name) => events[name] !== undefined).map((name) => `${name}=${events[name]}`);
    say(`events: ${byName.join(' ')}`);

    return {
      lines,
      metrics,
      events: { ...events },
      health,
      tempDir,
      root,
      serverPort: server.port,
      serverHits: Object.fromEntries(server.hits),
      errors: { traversal, confinement, slow, write },
      flaky,
      stats,
      listing,
    };
  } finally {
    try {
      await server?.close();
    } finally {
      await rm(tempDir, { recursive: true, force: true });
    }
  }
}
