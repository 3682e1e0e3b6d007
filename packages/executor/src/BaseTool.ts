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
import { conventionalSchema } from './planning/planOperation';
import { discoverOperations } from './tool/discoverOperations';
import { mapWithConcurrency, type Settled } from './tool/mapWithConcurrency';
import type { BatchItem, BatchOptions, OperationInput, OperationName, OperationResult } from './tool/operationTypes';
import { ToolExecutor } from './ToolExecutor';

type Method = (this: object, input: unknown, context: unknown) => unknown;

const forwardedOperations = new WeakMap<object, readonly string[]>();

/**
 * Base class of every tool. Its public methods are operations; decorated ones (and those with a
 * static `<Op>Schema`) run through the executor's pipeline whether called directly or by `run()`.
 */
export abstract class BaseTool {
  /** Tool name used in cache keys, errors and logs (default: the class name). */
  static toolName?: string;

  /** The tool's executor (the seed's `tool._executor`): metrics, health, per-operation settings. */
  readonly executor: ToolExecutor;

  constructor(config?: ToolConfigInput) {
    this.executor = new ToolExecutor(this, config, BaseTool.prototype);
    for (const operation of operationsToForward(this.constructor as Constructor)) {
      const method = (this as unknown as Record<string, Method>)[operation];
      if (!isIntercepted(method)) {
        Object.defineProperty(this, operation, { value: interceptOperation(method, operation), configurable: true, writable: true });
      }
    }
  }

  /** Runs an operation by name; the name and the input's shape are type-checked against the method. */
  run<K extends OperationName<this>>(
    operation: K,
    input: OperationInput<this, K>,
    context?: CallOptions,
  ): Promise<OperationResult<this, K>> {
    return this.executor.run(operation, input, context) as Promise<OperationResult<this, K>>;
  }

  /** Runs several operations, at most `concurrency` at a time; results in input order. */
  runBatch(items: readonly BatchItem<this>[], options?: BatchOptions & { settle?: false }): Promise<unknown[]>;
  /** Settle mode: one `{ status: 'fulfilled', value } | { status: 'rejected', reason }` per item. */
  runBatch(items: readonly BatchItem<this>[], options: BatchOptions & { settle: true }): Promise<Settled<unknown>[]>;
  async runBatch(items: readonly BatchItem<this>[], options: BatchOptions = {}): Promise<unknown[]> {
    if (!Array.isArray(items)) throw new TypeError('runBatch expects an array of { op, input, context? } items');
    const concurrency = checkNumber('runBatch.concurrency', options.concurrency ?? this.executor.config.ioConcurrency, { min: 1, integer: true });
    const runItem = (item: BatchItem<this>): Promise<unknown> => {
      const { op, context } = item as { op: string; context?: CallOptions };
      const input = 'kwargs' in item ? item.kwargs : (item as { input: unknown }).input;
      return this.executor.run(op, input, context);
    };
    return mapWithConcurrency(items, concurrency, runItem, options.settle === true);
  }

  /** Releases the executor's resources (cache timers, connections). */
  close(): Promise<void> {
    return this.executor.close();
  }

  /** Entry point of the forwarders the operation decorators install. */
  [INVOKE_OPERATION](operation: string, method: Method, input: unknown, context: unknown): Promise<unknown> {
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
