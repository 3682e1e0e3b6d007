import { ConfigurationError } from '@aiecs/core';
import { configFromEnvironment, DEFAULT_TOOL_CONFIG, resolveToolConfig } from '../src';
import { FileTool, quiet } from './fixtures';

describe('configuration', () => {
  it('uses the seed defaults in milliseconds', () => {
    expect(resolveToolConfig({}, {})).toMatchObject({
      enableCache: true,
      cacheSize: 100,
      cacheTtlMs: 3_600_000,
      retryAttempts: 3,
      retryBackoffMs: 1000,
      timeoutMs: 30_000,
      enableSecurityChecks: true,
    });
  });

  it.each([
    ['cacheSize', -1],
    ['cacheSize', Number.NaN],
    ['cacheSize', 1.5],
    ['retryAttempts', 0],
    ['timeoutMs', -5],
    ['cacheTtlMs', Number.POSITIVE_INFINITY],
    ['enableCache', 'yes'],
  ])('rejects %s = %p at construction, naming the option', (option, value) => {
    const error = (() => {
      try {
        new FileTool({ ...quiet, [option]: value });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe(option);
    expect((error as Error).message).toContain(option);
  });

  it('reads the seed environment variables, seconds converted to ms', () => {
    const env = {
      TOOL_EXECUTOR_CACHE_SIZE: '7',
      TOOL_EXECUTOR_CACHE_TTL: '2',
      TOOL_EXECUTOR_TIMEOUT: '1.5',
      TOOL_EXECUTOR_ENABLE_CACHE: 'false',
      EXECUTION_RETRY_ATTEMPTS: '4',
      TOOL_EXECUTOR_LOG_LEVEL: 'debug',
    };
    expect(configFromEnvironment(env)).toEqual({
      cacheSize: 7,
      cacheTtlMs: 2000,
      timeoutMs: 1500,
      enableCache: false,
      retryAttempts: 4,
      logLevel: 'debug',
    });
  });

  it('explicit options > environment > defaults', () => {
    const env = { TOOL_EXECUTOR_CACHE_SIZE: '7', TOOL_EXECUTOR_RETRY_ATTEMPTS: '5' };
    const config = resolveToolConfig({ cacheSize: 3 }, env);
    expect(config.cacheSize).toBe(3);
    expect(config.retryAttempts).toBe(5);
    expect(config.timeoutMs).toBe(DEFAULT_TOOL_CONFIG.timeoutMs);
  });

  it('TOOL_EXECUTOR_* wins over EXECUTION_* for the same option', () => {
    expect(configFromEnvironment({ EXECUTION_CACHE_SIZE: '1', TOOL_EXECUTOR_CACHE_SIZE: '2' }).cacheSize).toBe(2);
  });

  it.each([
    ['TOOL_EXECUTOR_CACHE_SIZE', 'lots'],
    ['TOOL_EXECUTOR_TIMEOUT', '-1'],
    ['TOOL_EXECUTOR_ENABLE_CACHE', 'maybe'],
    ['TOOL_EXECUTOR_LOG_LEVEL', 'loud'],
    ['EXECUTION_CACHE_TTL', '1h'],
  ])('an invalid %s=%s fails with an error naming the variable and value', (variable, value) => {
    const error = (() => {
      try {
        resolveToolConfig({}, { [variable]: value });
      } catch (e) {
        return e;
      }
    })() as ConfigurationError;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.option).toBe(variable);
    expect(error.message).toContain(value);
  });

  it('a tool constructed with process.env values picks them up', () => {
    process.env.TOOL_EXECUTOR_CACHE_SIZE = '11';
    try {
      expect(new FileTool(quiet).executor.config.cacheSize).toBe(11);
    } finally {
      delete process.env.TOOL_EXECUTOR_CACHE_SIZE;
    }
  });
});
