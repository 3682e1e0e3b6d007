import {
  checkNumber,
  getToolMetadata,
  INVOKE_OPERATION,
  interceptOperation,
  isIntercepted,
  type CallOptions,
  type Constructor,
} from '@aiecs/core';
import type { ToolConfigInput } from './config/ToolConfig';
import type { OperationMethod } from './pipeline/Call';
import { conventionalSchema } from './planning/conventionalSchema';
import { discoverOperations } from './tool/discoverOperations';
import { mapWithConcurrency } from './tool/mapWithConcurrency';
import type {
  BatchItem,
  BatchOptions,
  BatchResults,
  OperationName,
  OperationResult,
  RunArgs,
  SettledBatchResults,
} from './tool/operationTypes';
import { ToolExecutor, type ToolBinding } from './ToolExecutor';

const forwardedOperations = new WeakMap<object, readonly string[]>();

/**
 * Base class of every tool. Its public methods are operations; decorated ones (and those with a
 * static `<Op>Schema`) run through the executor's pipeline whether called directly or by `run()`.
 *
 * @example
 * ```ts
 * @Tool({ description: 'Reads files' })
 * class FileTool extends BaseTool {
 *   @ValidateInput(ReadInput) @CacheResult()
 *   async read(input: ReadInput, ctx = PIPELINE_CONTEXT): Promise<string> { … }
 * }
 * await using tool = new FileTool();
 * await tool.run('read', { path: 'a.txt' }, { userId: 'u1' });
 * ```
 */
export abstract class BaseTool implements AsyncDisposable {
  /** Registry name, when no `@Tool({ name })` is given (default: the class name in kebab-case without `Tool`). */
  static toolName?: string;

  /** The tool's executor (the seed's `tool._executor`): metrics, health, per-operation settings. */
  readonly executor: ToolExecutor;

  /** `config`: the tool's options; `runtime` to run on an app's shared runtime (`createApp` passes it). */
  constructor(config?: ToolConfigInput & ToolBinding) {
    this.executor = new ToolExecutor(this, config);
    for (const operation of operationsToForward(this.constructor as Constructor)) {
      const method = (this as unknown as Record<string, OperationMethod>)[operation];
      if (!isIntercepted(method)) {
        Object.defineProperty(this, operation, { value: interceptOperation(method, operation), configurable: true, writable: true });
      }
    }
  }

  /** Runs an operation by name; the name, the input's shape and the result are typed from the method. */
  run<K extends OperationName<this>>(operation: K, ...args: RunArgs<this, K>): Promise<OperationResult<this, K>> {
    const [input, context] = args as [unknown, CallOptions | undefined];
    return this.executor.run(operation, input, context) as Promise<OperationResult<this, K>>;
  }

  /** Runs several operations, at most `concurrency` at a time; results in input order, typed per item. */
  runBatch<const I extends readonly BatchItem<this>[]>(
    items: I,
    options?: BatchOptions & { settle?: false },
  ): Promise<BatchResults<this, I>>;
  /** Settle mode: one `{ status: 'fulfilled', value } | { status: 'rejected', reason }` per item. */
  runBatch<const I extends readonly BatchItem<this>[]>(
    items: I,
    options: BatchOptions & { settle: true },
  ): Promise<SettledBatchResults<this, I>>;
  async runBatch(items: readonly BatchItem<this>[], options: BatchOptions = {}): Promise<unknown[]> {
    if (!Array.isArray(items)) throw new TypeError('runBatch expects an array of { op, input, context? } items');
    const concurrency = checkNumber('runBatch.concurrency', options.concurrency ?? this.executor.config.ioConcurrency, {
      min: 1,
      integer: true,
    });
    const runItem = (item: BatchItem<this>): Promise<unknown> => {
      const { op, context } = item as { op: string; context?: CallOptions };
      const input = 'kwargs' in item ? item.kwargs : (item as { input?: unknown }).input;
      return this.executor.run(op, input, context);
    };
    return mapWithConcurrency(items, concurrency, runItem, options.settle === true);
  }

  /** Stops the tool; releases its private runtime (timers, default cache), never resources it was given. */
  close(): Promise<void> {
    return this.executor.close();
  }

  /** `await using tool = new FileTool()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.executor.close();
  }

  /** Entry point of the forwarders the operation decorators install. */
  [INVOKE_OPERATION](operation: string, method: OperationMethod, input: unknown, context: unknown): Promise<unknown> {
    return this.executor.invoke(operation, method, input, context);
  }
}

/**
 * Operations whose direct calls must be intercepted even though their own method is not decorated:
 * those with a static `<Op>Schema`, and undecorated overrides of a parent's decorated operation.
 */
function operationsToForward(toolClass: Constructor): readonly string[] {
  let operations = forwardedOperations.get(toolClass);
  if (operations) return operations;
  const declared = getToolMetadata(toolClass).operations;
  operations = [...discoverOperations(toolClass, BaseTool.prototype)].filter(
    (operation) =>
      (declared.has(operation) || conventionalSchema(toolClass, operation) !== undefined) &&
      !isIntercepted((toolClass.prototype as Record<string, unknown>)[operation]),
  );
  forwardedOperations.set(toolClass, operations);
  return operations;
}
