import { ConfigurationError } from '../errors/ConfigurationError';
import type { OperationOptions } from '../metadata/declarations';
import { operationDecorator, type OperationMethodDecorator } from './operationDecorator';

const FLAGS = ['readOnly', 'idempotent', 'destructive', 'openWorld'] as const;

/** Throws `ConfigurationError` unless `options` are valid `@Operation` options; `path` names them in the error. */
export function checkOperationOptions(options: OperationOptions, path = 'Operation'): OperationOptions {
  if (options === null || typeof options !== 'object') throw new ConfigurationError(path, options, 'expected an object');
  if (options.description !== undefined && typeof options.description !== 'string') {
    throw new ConfigurationError(`${path}.description`, options.description, 'expected a string');
  }
  for (const flag of FLAGS) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean')
      throw new ConfigurationError(`${path}.${flag}`, options[flag], 'expected true or false');
  }
  if (options.readOnly === true && (options.destructive === true || options.idempotent === false)) {
    throw new ConfigurationError(`${path}.readOnly`, true, 'a read-only operation cannot be destructive or non-idempotent');
  }
  return options;
}

/**
 * Describes an operation and declares its side effects (MCP's hints). A `destructive: true` or
 * `idempotent: false` operation is never retried unless its own `@Retry` sets `attempts`; `@CacheResult` on a
 * destructive operation is refused when the tool is described or registered.
 *
 * @example
 * ```ts
 * @Operation({ description: 'Deletes a file', destructive: true })
 * async remove(input: PathInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function Operation(options: OperationOptions = {}): OperationMethodDecorator {
  checkOperationOptions(options);
  return operationDecorator('Operation', { operation: { ...options } });
}
