import { checkNumber, ConfigurationError } from '@aiecs/core';
import { checkSecurityOptions } from '../security/securityLevel';
import { configFromEnvironment } from './environment';
import { CACHE_BACKENDS, DEFAULT_TOOL_CONFIG, type ToolConfig, type ToolConfigInput } from './ToolConfig';

const NUMERIC_OPTIONS = [
  ['cacheSize', true],
  ['cacheTtlMs', false],
  ['retryAttempts', true],
  ['retryBackoffMs', false],
  ['timeoutMs', false],
  ['maxWorkers', true],
  ['ioConcurrency', true],
  ['maxFileSizeBytes', true],
  ['maxInputSize', true],
  ['cacheTimeoutMs', false],
] as const;
const BOOLEAN_OPTIONS = ['enableCache', 'enableSecurityChecks', 'logExecutionTime'] as const;

/** Explicit options > environment > defaults; every value checked, errors name the option. */
export function resolveToolConfig(options: ToolConfigInput = {}, env = process.env): ToolConfig {
  if (options === null || typeof options !== 'object') throw new ConfigurationError('config', options, 'expected an object');
  const explicit = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const config = { ...DEFAULT_TOOL_CONFIG, ...configFromEnvironment(env), ...explicit } as ToolConfig;
  for (const [option, integer] of NUMERIC_OPTIONS) checkNumber(option, config[option], { integer });
  checkNumber('retryAttempts', config.retryAttempts, { min: 1, integer: true });
  checkNumber('ioConcurrency', config.ioConcurrency, { min: 1, integer: true });
  for (const option of BOOLEAN_OPTIONS) {
    if (typeof config[option] !== 'boolean') throw new ConfigurationError(option, config[option], 'expected true or false');
  }
  if (config.classifyError !== undefined && typeof config.classifyError !== 'function') {
    throw new ConfigurationError('classifyError', config.classifyError, 'expected a function (error) => kind | undefined');
  }
  if (!CACHE_BACKENDS.includes(config.cacheBackend))
    throw new ConfigurationError('cacheBackend', config.cacheBackend, `expected one of ${CACHE_BACKENDS.join(', ')}`);
  for (const option of ['cacheRedisUrl', 'cachePrefix'] as const) {
    if (config[option] !== undefined && (typeof config[option] !== 'string' || config[option] === ''))
      throw new ConfigurationError(option, config[option], 'expected a non-empty string');
  }
  checkSecurityOptions(config.securityLevel, config.allowedFileExtensions);
  if (typeof config.operations !== 'object' || config.operations === null) {
    throw new ConfigurationError('operations', config.operations, 'expected an object keyed by operation name');
  }
  for (const [operation, settings] of Object.entries(config.operations)) {
    if (settings.timeoutMs !== undefined) checkNumber(`operations.${operation}.timeoutMs`, settings.timeoutMs);
    if (settings.cacheTtlMs !== undefined) checkNumber(`operations.${operation}.cacheTtlMs`, settings.cacheTtlMs);
  }
  return config;
}
