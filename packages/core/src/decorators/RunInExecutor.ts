import type { RunInExecutorOptions } from '../metadata/declarations';
import { operationDecorator, type OperationMethodDecorator } from './operationDecorator';

/**
 * Marks a CPU-bound operation for off-thread execution. Recorded only, for now: the operation still
 * runs on the calling thread (see README, "Current limits"). `executor.describe()` reports it.
 *
 * @example
 * ```ts
 * @RunInExecutor()
 * async hash(input: HashInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function RunInExecutor(options: RunInExecutorOptions = {}): OperationMethodDecorator {
  return operationDecorator('RunInExecutor', { runInExecutor: options });
}
