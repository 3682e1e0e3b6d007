import { ConfigurationError } from '../errors/ConfigurationError';
import type { CacheOptions } from '../metadata/declarations';
import { checkNumber } from '../options/checkNumber';
import { operationDecorator, type OperationMethodDecorator } from './operationDecorator';

/** Throws `ConfigurationError` unless `options` are valid cache options; `path` names them. */
export function checkCacheOptions(options: CacheOptions, path = 'CacheResult'): CacheOptions {
  if (options === null || typeof options !== 'object') throw new ConfigurationError(path, options, 'expected an object');
  if (options.ttlMs !== undefined) checkNumber(`${path}.ttlMs`, options.ttlMs);
  return options;
}

/**
 * Caches successful results per tool, operation, user, task and input. Errors are never cached.
 * Refused on a `destructive` operation.
 *
 * @example
 * ```ts
 * @ValidateInput(ReadInput) @CacheResult({ ttlMs: 60_000 })
 * async read(input: ReadInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function CacheResult(options: CacheOptions = {}): OperationMethodDecorator {
  return operationDecorator('CacheResult', { cache: checkCacheOptions(options) });
}
