import { ConfigurationError } from '@aiecs/core';
import type { OperationConfig } from '../config/ToolConfig';
import { PIPELINE_ORDER } from '../pipeline/pipelineOrder';

const KNOWN_KEYS: ReadonlySet<string> = new Set(PIPELINE_ORDER.flatMap((concern) => concern.configKeys as readonly string[]));

/**
 * Checks an `operations` configuration against the tool's operations, with the same checks the
 * decorators run: a name that is no operation, a setting no concern owns, or a bad value throws
 * `ConfigurationError` naming the option (`operations.read.retry.attempts`).
 */
export function checkOperationConfig(
  operations: Readonly<Record<string, OperationConfig>>,
  known: ReadonlySet<string>,
  tool: string,
): void {
  for (const [operation, settings] of Object.entries(operations)) {
    const path = `operations.${operation}`;
    if (!known.has(operation)) {
      throw new ConfigurationError(
        path,
        settings,
        `${tool} has no operation '${operation}' (its operations: ${[...known].join(', ') || 'none'})`,
      );
    }
    if (settings === null || typeof settings !== 'object') throw new ConfigurationError(path, settings, 'expected an object of settings');
    for (const key of Object.keys(settings)) {
      if (!KNOWN_KEYS.has(key))
        throw new ConfigurationError(
          `${path}.${key}`,
          (settings as Record<string, unknown>)[key],
          `unknown setting (known: ${[...KNOWN_KEYS].join(', ')})`,
        );
    }
    for (const concern of PIPELINE_ORDER) concern.check?.(settings, path);
  }
}
