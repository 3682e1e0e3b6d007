import { ConfigurationError } from '@aiecs/core';

/** What the command line asks for: stdio (default) or HTTP on a port, and the file tool's directory. */
export interface ServerArguments {
  readonly http?: number;
  readonly root: string;
}

/** Parses `[--http PORT] [--root DIR]`; a bad value is a `ConfigurationError` naming the flag. */
export function parseArguments(argv: readonly string[], cwd: string): ServerArguments {
  let http: number | undefined;
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
    } else if (flag === '--root') {
      if (value === undefined || value === '') throw new ConfigurationError('--root', value, 'expected a directory');
      root = value;
      i++;
    } else throw new ConfigurationError('arguments', flag, 'usage: [--http PORT] [--root DIR]');
  }
  return http === undefined ? { root } : { http, root };
}
