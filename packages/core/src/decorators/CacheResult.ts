import type { CacheOptions } from '../metadata/declarations';
import { checkNumber } from '../options/checkNumber';
import { operationDecorator, type OperationMethodDecorator } from './operationDecorator';

/** Caches successful results per tool, operation, user, task and input. Errors are never cached. */
export function CacheResult(options: CacheOptions = {}): OperationMethodDecorator {
  if (options.ttlMs !== undefined) checkNumber('CacheResult.ttlMs', options.ttlMs);
  return operationDecorator('CacheResult', { cache: options });
}
