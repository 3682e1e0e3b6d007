import { ConfigurationError } from '@aiecs/core';
import { LOG_LEVELS } from '../logging/Logger';
import { parseExtensions, parseSecurityLevel } from '../security/securityLevel';
import { CACHE_BACKENDS, type ToolConfigInput } from './ToolConfig';

type Env = Readonly<Record<string, string | undefined>>;
type Parse = (variable: string, raw: string) => unknown;

const SECONDS_TO_MS = 1000;

const wholeNumber: Parse = (variable, raw) => {
  if (!/^\d+$/.test(raw.trim())) throw new ConfigurationError(variable, raw, 'expected a whole number');
  return Number(raw);
};
const seconds: Parse = (variable, raw) => {
  if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw new ConfigurationError(variable, raw, 'expected a number of seconds');
  return Math.round(Number(raw) * SECONDS_TO_MS);
};
const boolean: Parse = (variable, raw) => {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new ConfigurationError(variable, raw, 'expected true or false');
};
const logLevel: Parse = (variable, raw) => {
  const value = raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ConfigurationError(variable, raw, `expected one of ${LOG_LEVELS.join(', ')}`);
  }
  return value;
};

const cacheBackend: Parse = (variable, raw) => {
  const value = raw.trim().toLowerCase();
  if (!(CACHE_BACKENDS as readonly string[]).includes(value))
    throw new ConfigurationError(variable, raw, `expected one of ${CACHE_BACKENDS.join(', ')}`);
  return value;
};
const text: Parse = (_variable, raw) => raw.trim();

/**
 * Environment variables of the seed and the option each sets. Where both families name the same
 * option, the `TOOL_EXECUTOR_*` one wins (it is the tool-level setting).
 */
export const ENVIRONMENT_VARIABLES: ReadonlyArray<readonly [variable: string, option: keyof ToolConfigInput, parse: Parse]> = [
  ['EXECUTION_CACHE_SIZE', 'cacheSize', wholeNumber],
  ['EXECUTION_CACHE_TTL', 'cacheTtlMs', seconds],
  ['EXECUTION_RETRY_ATTEMPTS', 'retryAttempts', wholeNumber],
  ['EXECUTION_RETRY_BACKOFF', 'retryBackoffMs', seconds],
  ['EXECUTION_DEFAULT_TIMEOUT', 'timeoutMs', seconds],
  ['TOOL_EXECUTOR_ENABLE_CACHE', 'enableCache', boolean],
  ['TOOL_EXECUTOR_CACHE_SIZE', 'cacheSize', wholeNumber],
  ['TOOL_EXECUTOR_CACHE_TTL', 'cacheTtlMs', seconds],
  ['TOOL_EXECUTOR_MAX_WORKERS', 'maxWorkers', wholeNumber],
  ['TOOL_EXECUTOR_IO_CONCURRENCY', 'ioConcurrency', wholeNumber],
  ['TOOL_EXECUTOR_RETRY_ATTEMPTS', 'retryAttempts', wholeNumber],
  ['TOOL_EXECUTOR_RETRY_BACKOFF', 'retryBackoffMs', seconds],
  ['TOOL_EXECUTOR_TIMEOUT', 'timeoutMs', seconds],
  ['TOOL_EXECUTOR_ENABLE_SECURITY_CHECKS', 'enableSecurityChecks', boolean],
  ['TOOL_EXECUTOR_LOG_LEVEL', 'logLevel', logLevel],
  ['TOOL_EXECUTOR_LOG_EXECUTION_TIME', 'logExecutionTime', boolean],
  ['TOOL_EXECUTOR_MAX_FILE_SIZE', 'maxFileSizeBytes', wholeNumber],
  ['MAX_INPUT_SIZE', 'maxInputSize', wholeNumber],
  ['SECURITY_LEVEL', 'securityLevel', parseSecurityLevel],
  ['ALLOWED_FILE_EXTENSIONS', 'allowedFileExtensions', parseExtensions],
  ['CACHE_BACKEND', 'cacheBackend', cacheBackend],
  ['CACHE_REDIS_URL', 'cacheRedisUrl', text],
  ['CACHE_PREFIX', 'cachePrefix', text],
];

/** Reads the options the environment sets; a malformed value throws `ConfigurationError` naming the variable. */
export function configFromEnvironment(env: Env = process.env): ToolConfigInput {
  const config: Record<string, unknown> = {};
  for (const [variable, option, parse] of ENVIRONMENT_VARIABLES) {
    const raw = env[variable];
    if (raw !== undefined && raw !== '') config[option] = parse(variable, raw);
  }
  return config as ToolConfigInput;
}
