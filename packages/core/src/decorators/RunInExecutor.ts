import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '../errors/ConfigurationError';
import type { RunInExecutorOptions } from '../metadata/declarations';
import { operationDecorator, type OperationMethodDecorator } from './operationDecorator';

const KNOWN_OPTIONS: ReadonlySet<string> = new Set(['pool', 'module']);

/**
 * Checks `@RunInExecutor`'s options and returns them with `module` as an absolute path (a `file:` URL is
 * converted); throws a `ConfigurationError` naming the option otherwise.
 */
export function checkRunInExecutorOptions(options: unknown, path = 'RunInExecutor'): RunInExecutorOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigurationError(path, options, 'expected { pool?, module? }');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key))
      throw new ConfigurationError(`${path}.${key}`, (options as Record<string, unknown>)[key], 'unknown option; expected pool or module');
  }
  const { pool, module } = options as { pool?: unknown; module?: unknown };
  if (pool !== undefined && typeof pool !== 'string') throw new ConfigurationError(`${path}.pool`, pool, 'expected a string');
  if (module === undefined) return pool === undefined ? {} : { pool };
  return pool === undefined ? { module: modulePath(module, `${path}.module`) } : { pool, module: modulePath(module, `${path}.module`) };
}

function modulePath(module: unknown, option: string): string {
  const reason = 'expected an absolute path (__filename) or a file: URL (import.meta.url)';
  if (module instanceof URL) return modulePath(module.href, option);
  if (typeof module !== 'string') throw new ConfigurationError(option, module, reason);
  if (module.startsWith('file:')) {
    try {
      return fileURLToPath(module);
    } catch {
      throw new ConfigurationError(option, module, reason);
    }
  }
  if (!isAbsolute(module)) throw new ConfigurationError(option, module, reason);
  return module;
}

/**
 * The file of the code that called `fn` (its caller's stack frame), as an absolute path; `undefined`
 * when that code has no file (REPL, `eval`, `vm`, `new Function`). V8's structured frames are read
 * through a temporary `Error.prepareStackTrace` (restored at once), so source-map hooks don't matter.
 */
function callerModule(fn: (...args: never[]) => unknown): string | undefined {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_error, frames) => frames;
    const holder: { stack?: readonly NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, fn);
    const file = holder.stack?.[0]?.getFileName();
    if (typeof file !== 'string') return undefined;
    if (file.startsWith('file:')) return fileURLToPath(file);
    return isAbsolute(file) ? file : undefined;
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/**
 * Runs the operation's body on a worker thread when the runtime has a worker invoker (`@aiecs/worker`'s
 * `workerPool()`); the pipeline (validation, cache, policies, events) stays on the calling thread. The
 * worker loads the module that defines the tool class: the file where this decorator is applied unless
 * `module` says otherwise (pass `__filename` or `import.meta.url` where the file cannot be found: a class
 * defined in a REPL, `eval` or a bundle). Without a worker invoker the body runs in-process and the
 * runtime logs a warning once per operation. `pool` names one of the invoker's named pools
 * (`workerPool({ pools: { heavy: { maxWorkers: 1 } } })`); without it the body runs on the default pool.
 * Throws `ConfigurationError` on bad options.
 *
 * @example
 * ```ts
 * @RunInExecutor()                              // or @RunInExecutor({ module: __filename })
 * async hash(input: HashInput, ctx = PIPELINE_CONTEXT) { … }
 *
 * @RunInExecutor({ pool: 'heavy' })             // its own threads: a long parse never queues behind hashes
 * async parse(input: ParseInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function RunInExecutor(options: RunInExecutorOptions = {}): OperationMethodDecorator {
  const checked = checkRunInExecutorOptions(options);
  const module = checked.module ?? callerModule(RunInExecutor);
  return operationDecorator('RunInExecutor', { runInExecutor: module === undefined ? checked : { ...checked, module } });
}
