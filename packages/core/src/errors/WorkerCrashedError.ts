import type { ErrorKind } from './errorKind';
import { registerErrorClass } from './errorRegistry';
import { ToolExecutionError, type OperationSite } from './ToolExecutionError';

/**
 * The worker thread running an off-thread operation (`@RunInExecutor`) died before it answered: it
 * called `process.exit()`, ran out of memory (`resourceLimits`), or threw from a callback nobody awaited.
 * Only the calls that worker was running fail; the pool replaces it. Kind `'transient'`: another
 * attempt runs on a healthy worker. `cause` is what the thread reported (an exit code, `ERR_WORKER_OUT_OF_MEMORY`, the uncaught error).
 */
export class WorkerCrashedError extends ToolExecutionError {
  /** Another attempt runs on another worker. */
  static override readonly defaultKind: ErrorKind = 'transient';

  constructor(site: OperationSite, options?: { cause?: unknown }) {
    super(site, `the worker thread running it crashed (${describeCrash(options?.cause)})`, { ...options, code: 'WORKER_CRASHED' });
  }
}

function describeCrash(cause: unknown): string {
  if (typeof cause !== 'object' || cause === null) return cause === undefined ? 'no reason given' : String(cause);
  const { code, message } = cause as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(cause);
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
}

registerErrorClass(WorkerCrashedError);
