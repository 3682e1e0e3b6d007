import { ConfigurationError, Operation, SecurityError, TimeoutError, Tool, ToolExecutionError } from '@aiecs/core';
import { BaseTool, createApp } from '@aiecs/executor';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runApp, type AppRunSummary } from '../src/app';
import { fileToolFor } from '../src/FileTool';
import { StatsTool } from '../src/StatsTool';

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('app example', () => {
  let run: AppRunSummary;
  const printed: string[] = [];

  beforeAll(async () => {
    run = await runApp((line) => printed.push(line));
  });

  it('prints what it returns, and lists every operation with its side effects', () => {
    expect(printed).toEqual(run.lines);
    expect(run.lines.slice(1, 6)).toEqual([
      expect.stringMatching(/^ {2}file\.read +\[readOnly, cached\] +Reads/),
      expect.stringMatching(/^ {2}file\.list +\[readOnly\] +Lists/),
      expect.stringMatching(/^ {2}file\.write +\[destructive, non-idempotent\] +Creates/),
      expect.stringMatching(/^ {2}http\.get +\[readOnly, openWorld, cached\] +GETs/),
      expect.stringMatching(/^ {2}stats\.summarize +\[readOnly, cached\] +Count/),
    ]);
    expect(run.lines).toContainEqual(expect.stringMatching(/^tools: file, http, stats; cache stores: 1; file root: /));
  });

  it('answers the second identical read from the cache, once', () => {
    expect(run.lines).toContainEqual(expect.stringContaining('file.read notes.txt again    -> cache hit (file.cacheHits: 1)'));
    expect(run.metrics.file.cacheHits).toBe(1);
    expect(run.metrics.file.byOperation.read).toMatchObject({ cacheHits: 1, retries: 0 });
    expect(run.events['cacheHit file.read']).toBe(1);
    expect(run.events.cacheHit).toBe(1);
  });

  it('refuses paths that leave the directory: `..` by @Sanitize, a symbolic link by the tool', () => {
    expect(run.errors.traversal).toBeInstanceOf(SecurityError);
    expect(run.errors.traversal).toMatchObject({ field: 'path', rule: 'pathTraversal' });
    expect(run.errors.confinement).toBeInstanceOf(SecurityError);
    expect(run.errors.confinement).toMatchObject({ field: 'path', rule: 'confinement' });
    // The caller learns the path it gave, not where the link leads.
    expect((run.errors.confinement as Error).message).toContain("'shared/secret.txt'");
    expect((run.errors.confinement as Error).message).not.toContain('outside/secret.txt');
    // Refusals are the caller's fault: never retried.
    expect(run.metrics.file.retries).toBe(0);
  });

  it('recovers the flaky endpoint after exactly one retry, and cuts the slow one off at the caller deadline', () => {
    expect(run.flaky).toEqual({ status: 200, body: 'recovered' });
    expect(run.serverHits['/flaky']).toBe(2);
    expect(run.events['retry http.get']).toBe(1);
    expect(run.events.retry).toBe(1);
    expect(run.lines).toContainEqual(
      expect.stringMatching(/http\.get \/flaky +-> 200 "recovered" after 2 attempts \(retry events: 1, server saw 2 requests\)/),
    );
    expect(run.errors.slow).toBeInstanceOf(TimeoutError);
    expect(run.errors.slow).toMatchObject({ scope: 'call' });
    expect(run.serverHits['/slow']).toBe(1);
    expect(run.metrics.http).toMatchObject({ requests: 2, failures: 1, retries: 1, timeouts: 1 });
  });

  it('summarises the numbers read from the file', () => {
    expect(run.stats).toEqual({ count: 8, mean: 16.625, median: 13.5, stddev: expect.closeTo(8.9713, 3), min: 11, max: 40 });
  });

  it('attempts a failing destructive write once: no retry (EISDIR is permanent; a destructive write is never retried anyway)', () => {
    expect(run.errors.write).toBeInstanceOf(ToolExecutionError);
    expect(run.errors.write).toMatchObject({
      tool: 'file',
      operation: 'write',
      kind: 'internal',
      cause: expect.objectContaining({ code: 'EISDIR' }),
    });
    expect(run.lines).toContainEqual(
      expect.stringContaining('file.write reports (a dir)   -> ToolExecutionError (EISDIR); attempts: 1, retries: 0'),
    );
    // Two writes (the failing one and a good one), two attempts, no retry.
    expect(run.metrics.file.byOperation.write).toMatchObject({ requests: 2, failures: 1, measured: 2, retries: 0 });
    expect(run.events['retry file.write']).toBeUndefined();
    expect(run.listing).toEqual([{ name: 'latency-summary.json', type: 'file' }]);
  });

  it('reports a healthy app', () => {
    expect(run.health.status).toBe('healthy');
    expect(Object.keys(run.health.tools)).toEqual(['file', 'http', 'stats']);
    expect(run.lines).toContainEqual('health: healthy (file: healthy, http: healthy, stats: healthy)');
  });

  it('counts every call start and end', () => {
    const calls = Object.values(run.metrics).reduce((sum, m) => sum + m.requests, 0);
    expect(calls).toBe(11);
    expect(run.events).toMatchObject({ callStarted: calls, callEnded: calls });
  });

  it('leaves nothing behind: the server is closed and the temporary directory removed', async () => {
    expect(run.root.startsWith(run.tempDir)).toBe(true);
    expect(existsSync(run.root)).toBe(false);
    expect(existsSync(run.tempDir)).toBe(false);
    expect(await canConnect(run.serverPort)).toBe(false);
  });
});

describe('createApp registry', () => {
  it('refuses two tools with one name', () => {
    @Tool({ name: 'stats' })
    class OtherStatsTool extends BaseTool {
      @Operation({ readOnly: true })
      async count(input: { values: number[] }): Promise<number> {
        return input.values.length;
      }
    }
    expect(() => createApp({ tools: [StatsTool, OtherStatsTool] })).toThrow(ConfigurationError);
    expect(() => createApp({ tools: [StatsTool, OtherStatsTool] })).toThrow(/two tools are named 'stats'/);
  });

  it('refuses two file tools, even on different directories', async () => {
    const a = await mkdtemp(path.join(os.tmpdir(), 'aiecs-app-a-'));
    const b = await mkdtemp(path.join(os.tmpdir(), 'aiecs-app-b-'));
    try {
      expect(() => createApp({ tools: [fileToolFor(a), fileToolFor(b)] })).toThrow(ConfigurationError);
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });
});
