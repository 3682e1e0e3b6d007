import { ConfigurationError, INVOKE_OPERATION, type OperationInvoker } from '@aiecs/core';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ToolRef } from './messages';
import { WorkerContext } from './WorkerContext';

type ToolClass = new (config: Record<string, unknown>) => object;
type Exports = Record<string, unknown>;

// `import()` that TypeScript's CommonJS output leaves alone (it would become `require`).
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Exports>;

const modules = new Map<string, Promise<Exports>>();
const instances = new Map<number, Promise<object>>();

/** The module's exports: `require` (CommonJS, or TypeScript through the worker's loader), else `import()` (ESM). */
function loadModule(path: string): Promise<Exports> {
  let loaded = modules.get(path);
  if (loaded === undefined) {
    loaded = (async () => {
      if (extname(path) === '.mjs') return importModule(pathToFileURL(path).href);
      try {
        return require(path) as Exports;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') return importModule(pathToFileURL(path).href);
        throw error;
      }
    })();
    modules.set(path, loaded);
    // A failed load is retried by the next call (the file may be fixed, or a dependency was missing).
    loaded.catch(() => modules.delete(path));
  }
  return loaded;
}

/** The class among `exports` (ESM namespaces of CommonJS modules keep the exports under `default` too). */
function findClass(exports: Exports, ref: ToolRef): ToolClass | undefined {
  // The export the main thread saw holding the class (a worker-side transpiler may rename classes).
  const named = ref.exportName === undefined ? undefined : exports[ref.exportName];
  if (typeof named === 'function') return named as ToolClass;
  const nested = exports.default;
  const candidates = [...Object.values(exports), ...(typeof nested === 'object' && nested !== null ? Object.values(nested) : [])];
  return candidates.find((value) => typeof value === 'function' && value.name === ref.className) as ToolClass | undefined;
}

/**
 * The worker's instance of the tool `ref` names: loaded from its module, built once per module, class
 * and configuration with `new ToolClass(config)`. Its `[INVOKE_OPERATION]` is shadowed so that the
 * call the main thread sent runs the method body itself (the pipeline ran there); a nested call from
 * the body to another decorated operation still goes through that operation's pipeline in the worker.
 */
export function toolInstance(ref: ToolRef): Promise<object> {
  let instance = instances.get(ref.id);
  if (instance === undefined) {
    instance = build(ref);
    instances.set(ref.id, instance);
    instance.catch(() => instances.delete(ref.id));
  }
  return instance;
}

async function build(ref: ToolRef): Promise<object> {
  let exports: Exports;
  try {
    exports = await loadModule(ref.module);
  } catch (error) {
    throw Object.assign(
      new ConfigurationError(
        'RunInExecutor.module',
        ref.module,
        `the worker thread cannot load it: ${String((error as Error)?.message ?? error)}`,
      ),
      { cause: error },
    );
  }
  const toolClass = findClass(exports, ref);
  if (toolClass === undefined) {
    throw new ConfigurationError(
      'RunInExecutor.module',
      ref.module,
      `it does not export the tool class ${ref.className}; a worker thread can only build a class its module exports ` +
        '(export it, or pass @RunInExecutor({ module: __filename }) / { module: import.meta.url } from the module that does)',
    );
  }
  const tool = new toolClass({ ...ref.config });
  const viaPipeline = (tool as { [INVOKE_OPERATION]?: OperationInvoker })[INVOKE_OPERATION];
  Object.defineProperty(tool, INVOKE_OPERATION, {
    value(
      this: object,
      operation: string,
      method: (this: object, input: unknown, context: unknown) => unknown,
      input: unknown,
      context: unknown,
    ): unknown {
      if (context instanceof WorkerContext && context.operation === operation) return method.call(this, input, context);
      if (typeof viaPipeline !== 'function')
        throw new TypeError(`'${operation}' is a decorated operation: call it on an instance of a class that extends BaseTool`);
      return viaPipeline.call(this, operation, method, input, context);
    },
    configurable: true,
    writable: true,
  });
  return tool;
}
