import { ConfigurationError, InputValidationError, SecurityError, ToolExecutionError } from '@aiecs/core';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileToolFor, isInside, resolveInside } from '../src/FileTool';
import { StatsTool, summarize } from '../src/StatsTool';

describe('resolveInside', () => {
  const root = path.resolve('/srv/workspace');

  it('accepts the root and what is below it, however it is spelled', () => {
    expect(resolveInside(root, '.')).toBe(root);
    expect(resolveInside(root, 'a/../b.txt')).toBe(path.join(root, 'b.txt'));
    expect(resolveInside(root, path.join(root, 'c.txt'))).toBe(path.join(root, 'c.txt'));
    expect(resolveInside(root, '..foo/x')).toBe(path.join(root, '..foo', 'x'));
  });

  it.each(['..', '../x', 'a/../../x', '/etc/passwd', '../workspace-evil/x'])('refuses %s', (relative) => {
    expect(() => resolveInside(root, relative)).toThrow(SecurityError);
    expect(() => resolveInside(root, relative)).toThrow(/confinement/);
  });

  it('is not fooled by a sibling that shares the prefix (what startsWith would let through)', () => {
    expect(path.join(root + '-evil', 'x').startsWith(root)).toBe(true);
    expect(isInside(root, path.join(root + '-evil', 'x'))).toBe(false);
  });
});

describe('file tool on a directory', () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeEach(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'aiecs-filetool-'));
    root = path.join(base, 'workspace');
    outside = path.join(base, 'workspace-evil');
    await mkdir(root);
    await mkdir(outside);
    await writeFile(path.join(root, 'a.txt'), 'alpha');
    await writeFile(path.join(outside, 'secret.txt'), 'secret');
    await symlink(outside, path.join(root, 'shared'), 'dir');
    await symlink(path.join(outside, 'ghost.txt'), path.join(root, 'ghost.txt'));
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('reads, lists and writes inside its directory', async () => {
    await using tool = new (fileToolFor(root))({ logLevel: 'silent' });
    expect(await tool.run('read', { path: 'a.txt' })).toBe('alpha');
    expect(await tool.run('write', { path: 'b.txt', content: 'bravo' })).toEqual({ path: 'b.txt', bytes: 5 });
    expect(await readFile(path.join(root, 'b.txt'), 'utf8')).toBe('bravo');
    expect(await tool.run('write', { path: 'b.txt', content: 'bravo 2' })).toEqual({ path: 'b.txt', bytes: 7 });
    expect(await tool.run('list', {})).toEqual([
      { name: 'a.txt', type: 'file' },
      { name: 'b.txt', type: 'file' },
      { name: 'ghost.txt', type: 'other' },
      { name: 'shared', type: 'other' },
    ]);
  });

  it('confines paths itself, with @Sanitize turned off', async () => {
    await using tool = new (fileToolFor(root))({ enableSecurityChecks: false, logLevel: 'silent' });
    for (const p of ['../workspace-evil/secret.txt', path.join(outside, 'secret.txt'), 'shared/secret.txt']) {
      await expect(tool.run('read', { path: p })).rejects.toMatchObject({ name: 'SecurityError', rule: 'confinement' });
    }
    await expect(tool.run('list', { dir: 'shared' })).rejects.toMatchObject({ rule: 'confinement', field: 'dir' });
    expect(tool.executor.getMetrics().retries).toBe(0);
  });

  it('never writes through a link that leads outside, existing target or not', async () => {
    await using tool = new (fileToolFor(root))({ logLevel: 'silent' });
    await expect(tool.run('write', { path: 'shared/secret.txt', content: 'x' })).rejects.toBeInstanceOf(SecurityError);
    await expect(tool.run('write', { path: 'shared/new.txt', content: 'x' })).rejects.toBeInstanceOf(SecurityError);
    // A dangling link: realpath cannot follow it, so the exclusive create ('wx') is what refuses it.
    await expect(tool.run('write', { path: 'ghost.txt', content: 'x' })).rejects.toMatchObject({
      cause: expect.objectContaining({ code: 'EEXIST' }),
    });
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret');
    expect(existsSync(path.join(outside, 'new.txt'))).toBe(false);
    expect(existsSync(path.join(outside, 'ghost.txt'))).toBe(false);
    expect(tool.executor.getMetrics().byOperation.write).toMatchObject({ requests: 3, failures: 3, measured: 3, retries: 0 });
  });

  it('reports a missing file as the caller’s mistake, without retrying', async () => {
    await using tool = new (fileToolFor(root))({ retryBackoffMs: 1, logLevel: 'silent' });
    const error = await tool.run('read', { path: 'missing.txt' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', kind: 'caller', tool: 'file', operation: 'read' });
    expect(tool.executor.getMetrics().retries).toBe(0);
  });

  it('refuses a root that is not an existing directory', () => {
    expect(() => fileToolFor(path.join(base, 'nope'))).toThrow(ConfigurationError);
    expect(() => fileToolFor(path.join(root, 'a.txt'))).toThrow(ConfigurationError);
    expect(() => fileToolFor('')).toThrow(ConfigurationError);
  });
});

describe('stats tool', () => {
  it('summarises odd and even counts', () => {
    expect(summarize([3, 1, 2])).toEqual({ count: 3, mean: 2, median: 2, stddev: Math.sqrt(2 / 3), min: 1, max: 3 });
    expect(summarize([4, 1, 3, 2])).toMatchObject({ median: 2.5, mean: 2.5 });
    expect(summarize([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]).stddev).toBeCloseTo(Math.sqrt(22.5), 6);
  });

  it.each([[[]], [['5']], [[1, Number.NaN]], [[1, Infinity]]])('refuses %p', async (values) => {
    await using tool = new StatsTool({ logLevel: 'silent' });
    await expect(tool.run('summarize', { values } as never)).rejects.toBeInstanceOf(InputValidationError);
  });
});
