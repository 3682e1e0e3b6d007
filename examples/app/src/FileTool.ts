import {
  CacheResult,
  ConfigurationError,
  MeasureTime,
  Operation,
  PIPELINE_CONTEXT,
  Sanitize,
  SecurityError,
  Tool,
  ToolExecutionError,
  ValidateInput,
} from '@aiecs/core';
import { BaseTool, readConfinedFile, type ToolBinding, type ToolConfigInput } from '@aiecs/executor';
import { IsOptional, IsString, MaxLength, MinLength } from '@aiecs/validation';
import { realpathSync, statSync } from 'node:fs';
import { readdir, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Input of `read`: a path relative to the tool's directory. */
export class ReadInput {
  @IsString() @MinLength(1) @MaxLength(1024) path!: string;
}

/** Input of `list`: an optional sub-directory (default: the tool's directory itself). */
export class ListInput {
  @IsOptional() @IsString() @MaxLength(1024) dir?: string;
}

/** Input of `write`: a relative path and the UTF-8 text to store there. */
export class WriteInput {
  @IsString() @MinLength(1) @MaxLength(1024) path!: string;
  @IsString() @MaxLength(1_000_000) content!: string;
}

/** One entry of `list`. */
export interface DirectoryEntry {
  readonly name: string;
  readonly type: 'file' | 'directory' | 'other';
}

/** Whether `target` (absolute) is `root` itself or below it. */
export function isInside(root: string, target: string): boolean {
  // path.relative, not startsWith: '/work/root-evil'.startsWith('/work/root') is true.
  const fromRoot = path.relative(root, target);
  return fromRoot !== '..' && !fromRoot.startsWith(`..${path.sep}`) && !path.isAbsolute(fromRoot);
}

/**
 * `relative` resolved against `root` (absolute), or a `SecurityError` (rule `confinement`) when the result is
 * not inside `root`. Lexical only: `..` segments and absolute paths are caught, symbolic links are not (see
 * {@link FileToolBase}).
 */
export function resolveInside(root: string, relative: string, field = 'path'): string {
  const target = path.resolve(root, relative);
  if (!isInside(root, target)) throw new SecurityError(field, 'confinement', `'${relative}' resolves outside the tool's directory`);
  return target;
}

/**
 * The file operations. Abstract: the directory they are confined to is supplied by the concrete class
 * that {@link fileToolFor} creates (a tool is built by the app from its class and the shared
 * `ToolConfigInput`, which has no room for a tool's own options).
 *
 * Every path goes through two checks: a lexical one ({@link resolveInside}), then the same check on the
 * real path (symbolic links resolved), so a link inside the directory that points elsewhere is refused
 * too — `@Sanitize()` cannot see that from the string. (A link swapped in between the check and the
 * open is not covered; a tool that must resist a hostile local user needs `O_NOFOLLOW`/`openat`.)
 */
export abstract class FileToolBase extends BaseTool {
  /** The directory the tool is confined to: absolute, symbolic links resolved. */
  abstract readonly root: string;

  @Operation({ readOnly: true, description: 'Reads a UTF-8 text file, by path relative to the tool directory' })
  @ValidateInput(ReadInput)
  @Sanitize()
  @CacheResult({ ttlMs: 5_000 })
  async read(input: ReadInput, ctx = PIPELINE_CONTEXT): Promise<string> {
    // The same confinement as below (links resolved), opened with O_NOFOLLOW, and maxFileSizeBytes from the config.
    if ((await this._real(input.path, 'path')) === undefined) this._notFound('read', input.path);
    return readConfinedFile(input.path, { root: this.root, config: this.executor.config, signal: ctx.signal });
  }

  @Operation({ readOnly: true, description: 'Lists the entries of a directory, relative to the tool directory' })
  @ValidateInput(ListInput)
  @Sanitize()
  async list(input: ListInput): Promise<DirectoryEntry[]> {
    const dir = (await this._real(input.dir ?? '.', 'dir')) ?? this._notFound('list', input.dir ?? '.');
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .map((e): DirectoryEntry => ({ name: e.name, type: e.isFile() ? 'file' : e.isDirectory() ? 'directory' : 'other' }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  @Operation({ destructive: true, idempotent: false, description: 'Creates or replaces a UTF-8 text file (its directory must exist)' })
  @ValidateInput(WriteInput)
  @Sanitize()
  @MeasureTime()
  async write(input: WriteInput, ctx = PIPELINE_CONTEXT): Promise<{ path: string; bytes: number }> {
    let file = await this._real(input.path, 'path');
    if (file !== undefined) {
      // Replaces an existing file, whose real path was checked.
      await writeFile(file, input.content, { encoding: 'utf8', signal: ctx.signal });
    } else {
      // Creates one in an existing directory, whose real path is checked. 'wx' (O_EXCL) refuses a
      // dangling link there, which would otherwise be followed to wherever it points.
      const target = resolveInside(this.root, input.path);
      const dir = (await this._real(path.dirname(input.path), 'path')) ?? this._notFound('write', path.dirname(input.path));
      file = path.join(dir, path.basename(target));
      await writeFile(file, input.content, { encoding: 'utf8', flag: 'wx', signal: ctx.signal });
    }
    return { path: path.relative(this.root, file), bytes: Buffer.byteLength(input.content) };
  }

  /**
   * The real path (links resolved) of what `relative` names, refused with a `SecurityError` unless both the
   * path as written and its real path are inside the root; `undefined` when nothing exists there.
   */
  async _real(relative: string, field: string): Promise<string | undefined> {
    let real: string;
    try {
      real = await realpath(resolveInside(this.root, relative, field));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
    // Only the path as given is reported: where the link leads is none of the caller's business.
    if (!isInside(this.root, real))
      throw new SecurityError(field, 'confinement', `'${relative}' leads outside the tool's directory through a symbolic link`);
    return real;
  }

  /** A missing file is the caller's mistake: not retried. */
  _notFound(operation: string, relative: string): never {
    throw new ToolExecutionError({ tool: this.executor.toolName, operation }, `no such file or directory: '${relative}'`, {
      code: 'NOT_FOUND',
      kind: 'caller',
    });
  }
}

/** A concrete file tool class confined to one directory, as `fileToolFor(dir)` returns it. */
export type FileToolClass = new (config?: ToolConfigInput & ToolBinding) => FileToolBase;

/**
 * A tool class (named `file`) confined to `root`, an existing directory. Register it like any class:
 * `createApp({ tools: [fileToolFor(dir), …] })`. Each call returns a new class, so two of them in one app
 * collide on the name `file` (the app refuses that).
 */
export function fileToolFor(root: string): FileToolClass {
  if (typeof root !== 'string' || root === '') throw new ConfigurationError('fileToolFor.root', root, 'expected a directory path');
  let resolved: string;
  try {
    resolved = realpathSync(path.resolve(root));
  } catch (error) {
    throw new ConfigurationError('fileToolFor.root', root, `cannot resolve the directory: ${(error as Error).message}`);
  }
  if (!statSync(resolved).isDirectory()) throw new ConfigurationError('fileToolFor.root', root, 'not a directory');

  @Tool({ name: 'file', description: `Reads, lists and writes text files under ${resolved}` })
  class FileTool extends FileToolBase {
    readonly root = resolved;
  }
  return FileTool;
}
