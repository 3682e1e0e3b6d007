import type { OperationConfig } from '../config/ToolConfig';
import type { PlanSources } from './Concern';

type LayeredKey = 'bulkhead' | 'circuitBreaker' | 'timeout';

/**
 * The check and plan of a policy whose configuration entry replaces the operation's declaration, which
 * replaces the class's: configuration goes through the decorator's own check (which also normalises it).
 */
export function layeredPolicy<K extends LayeredKey, P>(
  key: K,
  checkOptions: (options: NonNullable<OperationConfig[K]>, path?: string) => P,
) {
  return {
    check: (configured: OperationConfig, path: string): void => {
      const options = configured[key];
      if (options !== undefined) checkOptions(options as NonNullable<OperationConfig[K]>, `${path}.${key}`);
    },
    plan: ({ configured, declared, toolWide }: PlanSources): P | undefined => {
      const options = configured[key];
      if (options !== undefined) return checkOptions(options as NonNullable<OperationConfig[K]>);
      return (declared[key] ?? toolWide[key]) as P | undefined;
    },
  };
}
