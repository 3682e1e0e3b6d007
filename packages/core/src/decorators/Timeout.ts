import type { TimeoutOptions } from '../metadata/declarations';
import { checkNumber } from '../options/checkNumber';
import { policyDecorator, type PolicyDecorator } from './operationDecorator';

/** Limits each attempt to `ms` milliseconds (aggressive by default: the caller is released at the limit). */
export function Timeout(msOrOptions: number | TimeoutOptions): PolicyDecorator {
  const options = typeof msOrOptions === 'number' ? { ms: msOrOptions } : msOrOptions;
  checkNumber('Timeout.ms', options.ms, { min: 1 });
  return policyDecorator('Timeout', { timeout: options });
}
