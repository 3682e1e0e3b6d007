import { ConfigurationError, SecurityError, type PathRoots } from '@aiecs/core';
import { lstat, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { decodePath } from './decodePath';
import { normalizeExtension } from './securityLevel';

/** The rule name confinement failures report. */
export const CONFINEMENT_RULE = 'confinement';

/** Longest path accepted (Linux's PATH_MAX). */
export const MAX_PATH_LENGTH = 4096;

/** How one path is confined. */
export interface ConfineOptions {
  /** The allowed directories; a relative path resolves against the first. */
  readonly root: PathRoots;
  /** Allowed extensions (`.md`, case-insensitive); undefined: any. */
  readonly extensions?: readonly string[];
  /** The field reported in errors (default `path`). */
  readonly field?: string;
}

/** Whether `target` is `root` itself or below it (`path.relative`, not `startsWith`: `/base-secrets` is not in `/base`). */
export function isInside(root: string, target: string): boolean {
  const fromRoot = path.relative(root, target);
  return fromRoot === '' || (fromRoot !== '..' && !fromRoot.startsWith(`..${path.sep}`) && !path.isAbsolute(fromRoot));
}

function refuse(field: string, reason: string): never {
  throw new SecurityError(field, CONFINEMENT_RULE, reason);
}

/** Every reading of `value` something downstream might act on: as written, decoded, and with `\` as a separator. */
function readings(value: string): string[] {
  const decoded = decodePath(value);
  const all = new Set([value, decoded, decoded.normalize('NFKC')]);
  for (const reading of [...all]) if (reading.includes('\\')) all.add(reading.replace(/\\/g, '/'));
  return [...all];
}

/** `roots` as absolute real paths (links resolved); a root that does not resolve is a misconfiguration. */
async function realRoots(roots: PathRoots, field: string): Promise<string[]> {
  const list = typeof roots === 'string' ? [roots] : [...roots];
  if (list.length === 0) throw new ConfigurationError(`${field}.confine.root`, roots, 'expected at least one directory');
  return Promise.all(
    list.map(async (root) => {
      try {
        return await realpath(path.resolve(root));
      } catch (error) {
        throw new ConfigurationError(
          `${field}.confine.root`,
          root,
          `cannot resolve the directory: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      }
    }),
  );
}

/**
 * The real path of the deepest part of `target` that exists, with the rest appended. A component that is a
 * symbolic link whose target does not exist is refused: its target could be anywhere, and creating the file
 * would follow it.
 */
async function realPathOf(target: string, field: string): Promise<string> {
  let existing = target;
  const rest: string[] = [];
  for (;;) {
    try {
      const real = await realpath(existing);
      return rest.length === 0 ? real : path.join(real, ...rest.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The caller's path cannot be resolved at all: refused, not an internal failure.
      if (code === 'ENAMETOOLONG' || code === 'ELOOP') refuse(field, `the path cannot be resolved (${code})`);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
    const link = await lstat(existing).then(
      (s) => s.isSymbolicLink(),
      () => false,
    );
    if (link) refuse(field, 'the path goes through a symbolic link whose target does not exist');
    const parent = path.dirname(existing);
    if (parent === existing) return target;
    rest.push(path.basename(existing));
    existing = parent;
  }
}

function hasAllowedExtension(file: string, allowed: readonly string[]): boolean {
  return allowed.includes(path.extname(file).toLowerCase());
}

/**
 * Confines `value` (a path from the input) to allowed roots and returns its real path (absolute, links
 * resolved). Refused with a `SecurityError` (rule `confinement`, naming the field, never echoing the value):
 * anything but a string; a NUL byte, raw or encoded; a path that escapes every root under any reading (as
 * written, percent-decoded with overlong UTF-8, NFKC, backslashes as separators); a real path outside the
 * roots (a symbolic link inside a root that points elsewhere); and, when `extensions` is given, a file whose
 * name or real target has another extension (`x.md.exe` is not `.md`; `X.MD` is).
 *
 * The check and a later open are two steps: a link swapped in between is not covered here (`readConfinedFile`
 * opens with `O_NOFOLLOW` to close that for the last component).
 */
export async function confinePath(value: unknown, options: ConfineOptions): Promise<string> {
  const field = options.field ?? 'path';
  if (typeof value !== 'string') refuse(field, 'expected a path string');
  // Longer than any path the OS resolves (PATH_MAX): refused before decoding, which then stays bounded.
  if (value.length > MAX_PATH_LENGTH) refuse(field, `the path is longer than ${MAX_PATH_LENGTH} characters`);
  const roots = await realRoots(options.root, field);
  const lexicalRoots = (typeof options.root === 'string' ? [options.root] : [...options.root]).map((r) => path.resolve(r));
  const allowed = options.extensions?.map(normalizeExtension);
  for (const reading of readings(value)) {
    if (reading.includes('\0')) refuse(field, 'the path contains a NUL byte');
    const resolved = path.resolve(lexicalRoots[0]!, reading);
    if (!lexicalRoots.some((root) => isInside(root, resolved)) && !roots.some((root) => isInside(root, path.resolve(roots[0]!, reading)))) {
      refuse(field, 'the path resolves outside the allowed directories');
    }
    if (allowed !== undefined && !hasAllowedExtension(resolved, allowed))
      refuse(field, `the file must have one of the extensions ${allowed.join(', ')}`);
  }
  // The filesystem opens the path as written: resolve it against the real root and follow its links.
  const real = await realPathOf(path.resolve(roots[0]!, path.isAbsolute(value) ? realAbsolute(value, lexicalRoots, roots) : value), field);
  if (!roots.some((root) => isInside(root, real))) refuse(field, 'the path leads outside the allowed directories through a symbolic link');
  if (allowed !== undefined && !hasAllowedExtension(real, allowed))
    refuse(field, `the file must have one of the extensions ${allowed.join(', ')}`);
  return real;
}

/** An absolute path given against a root spelled through a link (`/tmp/x` for `/private/tmp/x`), re-rooted at the real root. */
function realAbsolute(value: string, lexicalRoots: readonly string[], roots: readonly string[]): string {
  const target = path.resolve(value);
  for (let i = 0; i < lexicalRoots.length; i++) {
    if (isInside(lexicalRoots[i]!, target)) return path.join(roots[i]!, path.relative(lexicalRoots[i]!, target));
  }
  return target;
}
