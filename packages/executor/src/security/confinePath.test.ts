import { ConfigurationError, SecurityError } from '@aiecs/core';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { corpus } from './corpus.testkit';
import { confinePath, isInside } from './confinePath';
import { decodePath } from './decodePath';
import { readConfinedFile } from './readConfinedFile';

/** A temporary tree: base/{root/{docs/a.md, notes.txt, X.MD, x.md.exe, link-out -> ../secrets, link-in -> docs, ghost -> ../nowhere}, secrets/s.md, root-secrets/s.md}. */
let base: string;
let root: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'aiecs-confine-')));
  root = path.join(base, 'root');
  await mkdir(path.join(root, 'docs'), { recursive: true });
  await mkdir(path.join(base, 'secrets'));
  await mkdir(path.join(base, 'root-secrets'));
  await writeFile(path.join(root, 'docs', 'a.md'), '# A');
  await writeFile(path.join(root, 'notes.txt'), 'notes');
  await writeFile(path.join(root, 'X.MD'), 'upper');
  await writeFile(path.join(root, 'x.md.exe'), 'MZ');
  await writeFile(path.join(base, 'secrets', 's.md'), 'secret');
  await writeFile(path.join(base, 'root-secrets', 's.md'), 'secret too');
  await symlink(path.join(base, 'secrets'), path.join(root, 'link-out'), 'dir');
  await symlink(path.join(base, 'secrets', 's.md'), path.join(root, 'innocent.md'));
  await symlink(path.join(root, 'docs'), path.join(root, 'link-in'), 'dir');
  await symlink(path.join(base, 'nowhere'), path.join(root, 'ghost.md'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

async function refusal(value: unknown, options: Partial<Parameters<typeof confinePath>[1]> = {}): Promise<SecurityError> {
  const error = await confinePath(value, { root, field: 'file', ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SecurityError)) throw new Error(`expected a SecurityError for ${JSON.stringify(value)}, got ${String(error)}`);
  return error;
}

describe('confinePath', () => {
  it('returns the real path of what is inside the root, however it is spelled', async () => {
    await expect(confinePath('docs/a.md', { root })).resolves.toBe(path.join(root, 'docs', 'a.md'));
    await expect(confinePath('docs/../notes.txt', { root })).resolves.toBe(path.join(root, 'notes.txt'));
    await expect(confinePath(path.join(root, 'docs', 'a.md'), { root })).resolves.toBe(path.join(root, 'docs', 'a.md'));
    await expect(confinePath('link-in/a.md', { root })).resolves.toBe(path.join(root, 'docs', 'a.md'));
    await expect(confinePath('new/file.md', { root })).resolves.toBe(path.join(root, 'new', 'file.md')); // not there yet
    await expect(confinePath('%2e%2e', { root })).rejects.toBeInstanceOf(SecurityError);
    await expect(confinePath('..%2e', { root })).resolves.toBe(path.join(root, '..%2e')); // decodes to '...', a name
  });

  it.each(corpus('traversal-attempts.txt'))('refuses the corpus line %s (or confines it inside the root)', async (line) => {
    // Every line is either refused or, read as a literal file name, stays inside the root.
    const outcome = await confinePath(line, { root }).then(
      (real) => ({ real }),
      (error: unknown) => ({ error }),
    );
    if ('real' in outcome) expect(isInside(root, outcome.real)).toBe(true);
    else expect(outcome.error).toBeInstanceOf(SecurityError);
  });

  it.each([
    ['../secrets/s.md', 'escapes with ..'],
    ['/etc/passwd', 'absolute outside'],
    ['../root-secrets/s.md', 'a sibling sharing the prefix (startsWith would pass it)'],
    ['%2e%2e%2fsecrets%2fs.md', 'percent-encoded'],
    ['%252e%252e%252fsecrets', 'double-encoded'],
    ['..%c0%afsecrets', 'overlong UTF-8 slash'],
    ['%c0%ae%c0%ae/secrets', 'overlong UTF-8 dots'],
    ['..\\secrets\\s.md', 'backslashes'],
    ['‥/secrets', 'a compatibility form (NFKC)'],
    ['link-out/s.md', 'a symbolic link inside the root pointing outside'],
    ['innocent.md', 'a file link pointing outside'],
    ['ghost.md', 'a dangling link'],
  ])('refuses %s (%s)', async (value) => {
    const error = await refusal(value);
    expect(error).toMatchObject({ field: 'file', rule: 'confinement', kind: 'caller' });
    expect(error.message).not.toContain(value);
  });

  it.each(['notes.txt\0.md', 'notes.txt%00.md', 'a%2500b'])('refuses a NUL byte, raw or encoded: %j', async (value) => {
    const decodedHasNul = decodePath(value).includes('\0') || value.includes('\0');
    if (decodedHasNul) expect((await refusal(value)).message).toContain('NUL');
    else await expect(confinePath(value, { root })).resolves.toBe(path.join(root, value));
  });

  it('is not fooled by startsWith: /base-secrets is not inside /base', () => {
    expect(path.join(`${root}-secrets`, 's.md').startsWith(root)).toBe(true);
    expect(isInside(root, path.join(`${root}-secrets`, 's.md'))).toBe(false);
    expect(isInside(root, root)).toBe(true);
  });

  it('restricts extensions by the last one, case-insensitively', async () => {
    const md = { extensions: ['.md'] };
    await expect(confinePath('X.MD', { root, ...md })).resolves.toBe(path.join(root, 'X.MD'));
    await expect(confinePath('docs/a.md', { root, extensions: ['MD', 'txt'] })).resolves.toBe(path.join(root, 'docs', 'a.md'));
    for (const value of ['x.md.exe', 'notes.txt', 'docs', 'notes.md.', 'a.md%00.exe'])
      expect((await refusal(value, md)).rule).toBe('confinement');
  });

  it('accepts several roots: relative paths resolve against the first', async () => {
    const roots = [path.join(root, 'docs'), path.join(base, 'secrets')];
    await expect(confinePath('a.md', { root: roots })).resolves.toBe(path.join(root, 'docs', 'a.md'));
    await expect(confinePath(path.join(base, 'secrets', 's.md'), { root: roots })).resolves.toBe(path.join(base, 'secrets', 's.md'));
    await refusal(path.join(root, 'notes.txt'), { root: roots });
  });

  it('refuses what is not a string, and reports a root that does not exist as a configuration error', async () => {
    for (const value of [42, null, ['a'], { path: 'a' }]) expect((await refusal(value)).message).toContain('expected a path string');
    await expect(confinePath('a', { root: path.join(base, 'missing') })).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('readConfinedFile', () => {
  it('reads a confined file, as text or bytes', async () => {
    await expect(readConfinedFile('docs/a.md', { root })).resolves.toBe('# A');
    await expect(readConfinedFile('docs/a.md', { root, encoding: null })).resolves.toEqual(Buffer.from('# A'));
  });

  it('applies the same confinement (the symlink that once let a tool read outside its root)', async () => {
    await expect(readConfinedFile('link-out/s.md', { root })).rejects.toMatchObject({
      name: 'SecurityError',
      rule: 'confinement',
      field: 'path',
    });
    await expect(readConfinedFile('innocent.md', { root, field: 'file' })).rejects.toMatchObject({ rule: 'confinement', field: 'file' });
    await expect(readConfinedFile('x.md.exe', { root, extensions: ['.md'] })).rejects.toMatchObject({ rule: 'confinement' });
  });

  it('refuses a file larger than maxFileSizeBytes before reading it (the tool config, or the option)', async () => {
    await expect(readConfinedFile('notes.txt', { root, maxFileSizeBytes: 4 })).rejects.toMatchObject({
      rule: 'maxFileSize',
      field: 'path',
    });
    await expect(readConfinedFile('notes.txt', { root, config: { maxFileSizeBytes: 5 } })).resolves.toBe('notes');
    await expect(readConfinedFile('notes.txt', { root, config: { maxFileSizeBytes: 4 } })).rejects.toMatchObject({ rule: 'maxFileSize' });
  });

  it('takes TOOL_EXECUTOR_MAX_FILE_SIZE and ALLOWED_FILE_EXTENSIONS from the environment without a config', async () => {
    const saved = { ...process.env };
    try {
      process.env.TOOL_EXECUTOR_MAX_FILE_SIZE = '3';
      await expect(readConfinedFile('docs/a.md', { root })).resolves.toBe('# A');
      await expect(readConfinedFile('notes.txt', { root })).rejects.toMatchObject({ rule: 'maxFileSize' });
      process.env.TOOL_EXECUTOR_MAX_FILE_SIZE = '100';
      process.env.ALLOWED_FILE_EXTENSIONS = '.md';
      await expect(readConfinedFile('notes.txt', { root })).rejects.toMatchObject({ rule: 'confinement' });
    } finally {
      process.env = saved;
    }
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(readConfinedFile('docs/a.md', { root, signal: controller.signal })).rejects.toThrow('stop');
  });
});
