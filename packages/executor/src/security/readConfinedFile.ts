import { SecurityError } from '@aiecs/core';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { configFromEnvironment } from '../config/environment';
import { DEFAULT_TOOL_CONFIG, type ToolConfig } from '../config/ToolConfig';
import { confinePath, CONFINEMENT_RULE, type ConfineOptions } from './confinePath';

/** Options of `readConfinedFile`: the confinement, the size limit, and how to read. */
export interface ReadConfinedOptions extends ConfineOptions {
  /**
   * The tool's configuration (`this.executor.config`): its `maxFileSizeBytes` (`TOOL_EXECUTOR_MAX_FILE_SIZE`) and
   * `allowedFileExtensions` (`ALLOWED_FILE_EXTENSIONS`) apply unless given here. Without it, the environment's.
   */
  readonly config?: Pick<ToolConfig, 'maxFileSizeBytes' | 'allowedFileExtensions'>;
  /** Largest file read, in bytes (default: `config.maxFileSizeBytes`). */
  readonly maxFileSizeBytes?: number;
  /** `'utf8'` (default) returns a string; `null` a Buffer. */
  readonly encoding?: BufferEncoding | null;
  /** Aborts the read (the operation's `ctx.signal`). */
  readonly signal?: AbortSignal;
}

/** `O_NOFOLLOW` where the platform has it: a link swapped in for the file after the check is not followed. */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

function limitsOf(options: ReadConfinedOptions): { maxBytes: number; extensions?: readonly string[] } {
  const config = options.config ?? { ...DEFAULT_TOOL_CONFIG, ...configFromEnvironment() };
  return { maxBytes: options.maxFileSizeBytes ?? config.maxFileSizeBytes, extensions: options.extensions ?? config.allowedFileExtensions };
}

/**
 * Reads a file named by untrusted input, confined like `@Sanitize({ fields: { path: { confine } } })` confines
 * a field (`confinePath`: roots, decoding, NUL, symbolic links, extensions), and refuses a file larger than
 * `maxFileSizeBytes` with a `SecurityError` (rule `maxFileSize`) before reading it. The file is opened by its
 * real path with `O_NOFOLLOW`, its size taken from the open handle, and at most the limit is read even if the
 * file grows meanwhile.
 *
 * @example
 * ```ts
 * async read(input: ReadInput, ctx = PIPELINE_CONTEXT): Promise<string> {
 *   return readConfinedFile(input.path, { root: this.root, extensions: ['.md'], config: this.executor.config, signal: ctx.signal });
 * }
 * ```
 */
export async function readConfinedFile(file: unknown, options: ReadConfinedOptions & { encoding?: BufferEncoding }): Promise<string>;
export async function readConfinedFile(file: unknown, options: ReadConfinedOptions & { encoding: null }): Promise<Buffer>;
export async function readConfinedFile(file: unknown, options: ReadConfinedOptions): Promise<string | Buffer> {
  const field = options.field ?? 'path';
  const { maxBytes, extensions } = limitsOf(options);
  const real = await confinePath(file, { root: options.root, extensions, field });
  options.signal?.throwIfAborted();
  let handle;
  try {
    handle = await open(real, constants.O_RDONLY | NO_FOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new SecurityError(field, CONFINEMENT_RULE, 'the file became a symbolic link after it was checked');
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new SecurityError(field, 'maxFileSize', `the file is ${size} bytes (limit ${maxBytes})`);
    // Read to the end, but never past the limit (the size is a hint: a file can grow, /proc files say 0).
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(size - length, 64 * 1024), maxBytes - length + 1));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > maxBytes)
        throw new SecurityError(field, 'maxFileSize', `the file grew past the limit of ${maxBytes} bytes while it was read`);
    }
    const content = Buffer.concat(chunks, length);
    const encoding = options.encoding === undefined ? 'utf8' : options.encoding;
    return encoding === null ? content : content.toString(encoding);
  } finally {
    await handle.close();
  }
}
