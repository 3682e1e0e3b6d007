import { ConfigurationError } from '@aiecs/core';

/** What the command line asks for: stdio (default) or HTTP on a port (stateless or not), and the file tool's directory. */
export interface ServerArguments {
  readonly http?: number;
  /** HTTP without sessions (`serveHttp(app, { stateless: true })`). */
  readonly stateless?: true;
  readonly root: string;
}

const USAGE = 'usage: [--http PORT [--stateless]] [--root DIR]';

/** Parses `[--http PORT [--stateless]] [--root DIR]`; a bad value is a `ConfigurationError` naming the flag. */
export function parseArguments(argv: readonly string[], cwd: string): ServerArguments {
  let http: number | undefined;
  let stateless = false;
  let root = cwd;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--http') {
      const port = Number(value);
      if (value === undefined || !Number.isInteger(port) || port < 0 || port > 65_535)
        throw new ConfigurationError('--http', value, 'expected a port number (0 for a free one)');
      http = port;
      i++;
    } else if (flag === '--stateless') {
      stateless = true;
    } else if (flag === '--root') {
      if (value === undefined || value === '') throw new ConfigurationError('--root', value, 'expected a directory');
      root = value;
      i++;
    } else throw new ConfigurationError('arguments', flag, USAGE);
  }
  if (stateless && http === undefined) throw new ConfigurationError('--stateless', true, `only with --http (${USAGE})`);
  return http === undefined ? { root } : { http, ...(stateless ? { stateless: true } : {}), root };
}
