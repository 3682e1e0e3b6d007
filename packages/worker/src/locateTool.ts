import { ConfigurationError, type RunInExecutorOptions } from '@aiecs/core';
import { existsSync } from 'node:fs';
import { cloneablePart } from './cloneable';
import type { ToolRef } from './messages';

/** Where the main thread found the class: a loaded CommonJS module and the export that holds it. */
interface Found {
  readonly module: string;
  readonly exportName: string;
}

const WHAT_TO_PASS =
  'pass @RunInExecutor({ module: __filename }) (CommonJS) or @RunInExecutor({ module: import.meta.url }) (ESM) from a module that exports the class';

/** CommonJS's module cache (Jest's registry under Jest), when there is one (not in an ES module build). */
function moduleCache(): Readonly<Record<string, { exports?: unknown } | undefined>> | undefined {
  return typeof require === 'function' && typeof require.cache === 'object' ? require.cache : undefined;
}

function exportOf(exports: unknown, toolClass: object): string | undefined {
  if ((typeof exports !== 'object' && typeof exports !== 'function') || exports === null) return undefined;
  try {
    for (const key of Object.keys(exports)) if ((exports as Record<string, unknown>)[key] === toolClass) return key;
  } catch {
    // An exports object whose getters throw is not the one we look for.
  }
  return undefined;
}

/** The loaded CommonJS module that exports `toolClass`: `preferred` first, then every other one (a subclass defined elsewhere). */
function findLoaded(toolClass: object, preferred: string | undefined): Found | undefined {
  const cache = moduleCache();
  if (cache === undefined) return undefined;
  const first = preferred === undefined ? undefined : exportOf(cache[preferred]?.exports, toolClass);
  if (first !== undefined) return { module: preferred!, exportName: first };
  for (const module of Object.keys(cache)) {
    const exportName = exportOf(cache[module]?.exports, toolClass);
    if (exportName !== undefined) return { module, exportName };
  }
  return undefined;
}

/**
 * How a worker thread finds and builds `target`'s class, checked on the main thread when the operation
 * is planned: the module that exports the class (a loaded CommonJS module that exports it, else the module
 * `@RunInExecutor` recorded, which the worker checks), and the tool's configuration, its cloneable part.
 * @throws ConfigurationError naming what to pass when no module can work: none recorded (REPL, `eval`),
 *   a file that does not exist, or a loaded module that does not export the class (an inline or test class).
 */
export function locateTool(qualifiedName: string, target: object, options: RunInExecutorOptions): Omit<ToolRef, 'id'> {
  const toolClass = target.constructor as { name: string };
  const found = findLoaded(toolClass, options.module);
  const config = cloneablePart(
    ((target as { executor?: { config?: Record<string, unknown> } }).executor?.config ?? {}) as Record<string, unknown>,
  );
  const className = toolClass.name;
  if (found !== undefined)
    return { module: found.module, exportName: found.exportName, className, config, key: toolKey(found.module, className, config) };
  const option = `${qualifiedName} @RunInExecutor.module`;
  if (options.module === undefined) {
    throw new ConfigurationError(
      option,
      undefined,
      `the module that defines ${className} is unknown (defined in a REPL, eval or vm code?); ${WHAT_TO_PASS}`,
    );
  }
  if (moduleCache()?.[options.module] !== undefined) {
    throw new ConfigurationError(
      option,
      options.module,
      `${className} is not exported by that module: a worker thread builds the tool from its module's exports, so a class defined inside a function, a test or a bundle cannot run there. Export it, or move it to a module of its own and ${WHAT_TO_PASS}`,
    );
  }
  if (!existsSync(options.module)) throw new ConfigurationError(option, options.module, `no such file; ${WHAT_TO_PASS}`);
  // An ES module (or one not loaded here): the worker looks the class up by name and says so if it is missing.
  return { module: options.module, className, config, key: toolKey(options.module, className, config) };
}

function toolKey(module: string, className: string, config: Readonly<Record<string, unknown>>): string {
  return `${module}#${className}#${JSON.stringify(config, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`;
}
