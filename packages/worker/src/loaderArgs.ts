import { ConfigurationError } from '@aiecs/core';
import { extname } from 'node:path';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);
/** Flags that already give the worker a TypeScript loader (workers inherit the parent's execArgv). */
const LOADER_FLAG = /ts-node|tsx|@swc-node|@swc\/register|esbuild-register|sucrase|@babel\/register/;

/** True for a `.ts` / `.mts` / `.cts` file. */
export function isTypeScript(file: string): boolean {
  return TYPESCRIPT.has(extname(file));
}

/** True when the parent's flags load TypeScript already (workers inherit them). */
export function parentHasLoader(parentArgv: readonly string[] = process.execArgv): boolean {
  return parentArgv.some((arg) => LOADER_FLAG.test(arg));
}

function resolveFrom(request: string, from: readonly string[]): string | undefined {
  try {
    return require.resolve(request, { paths: [...from] });
  } catch {
    return undefined;
  }
}

/**
 * The workers' `execArgv`: `undefined` (inherit the parent's) unless the worker must load TypeScript
 * (the pool's own handler when run from sources, or a tool module) and the parent was not started with
 * a loader in its flags (under Jest, ts-jest transforms in the main thread only). Then tsx's CommonJS
 * hook (esbuild: about a fifth of ts-node's start-up CPU here, 1.0 vs 5.0 s for the executor's sources, and it
 * reads tsconfig `paths` such as `@aiecs/*`), else ts-node in transpile-only mode with tsconfig-paths when
 * installed; found from the current directory or the module's.
 * @throws ConfigurationError when TypeScript must be loaded and neither tsx nor ts-node can be found.
 */
export function workerExecArgv(files: readonly string[], parentArgv: readonly string[] = process.execArgv): string[] | undefined {
  const typescript = files.filter(isTypeScript);
  if (typescript.length === 0 || parentHasLoader(parentArgv)) return undefined;
  const from = [process.cwd(), ...typescript];
  const tsx = resolveFrom('tsx/cjs', from);
  if (tsx !== undefined) return ['--require', tsx];
  const tsNode = resolveFrom('ts-node/register/transpile-only', from);
  if (tsNode === undefined) {
    throw new ConfigurationError(
      'workerPool.execArgv',
      undefined,
      `the worker must load TypeScript (${typescript[typescript.length - 1]}) and neither tsx nor ts-node is installed: install one, run compiled JavaScript, or pass workerPool({ execArgv: ['--require', '<your loader>'] })`,
    );
  }
  const paths = resolveFrom('tsconfig-paths/register', from);
  return paths === undefined ? ['--require', tsNode] : ['--require', tsNode, '--require', paths];
}
