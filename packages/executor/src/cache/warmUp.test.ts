import { CacheResult, ConfigurationError, Operation, PIPELINE_CONTEXT, Tool, UnknownOperationError, ValidateInput } from '@aiecs/core';
import { IsString } from '@aiecs/validation';
import { BaseTool } from '../BaseTool';
import { createApp } from '../app/App';
import { ExecutionUtils } from '../ExecutionUtils';
import type { Logger } from '../logging/Logger';
import { MemoryCacheStore } from './MemoryCacheStore';

class KeyInput {
  @IsString() key!: string;
}

function recording(): Logger & { warnings: Array<{ message: string; fields?: Record<string, unknown> }> } {
  const warnings: Array<{ message: string; fields?: Record<string, unknown> }> = [];
  const none = (): void => undefined;
  return { warnings, debug: none, info: none, error: none, warn: (message, fields) => void warnings.push({ message, fields }) };
}

@Tool({ name: 'lookup' })
class LookupTool extends BaseTool {
  calls = 0;
  inFlight = 0;
  peak = 0;

  @Operation({ readOnly: true })
  @ValidateInput(KeyInput)
  @CacheResult({ ttlMs: 0 })
  async find(input: KeyInput, _ctx = PIPELINE_CONTEXT): Promise<string> {
    this.calls++;
    this.peak = Math.max(this.peak, ++this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight--;
    if (input.key === 'bad') throw new Error('no such key');
    return `value of ${input.key}`;
  }
}

describe('warmUpCache', () => {
  it('on a tool: runs every item concurrently, caches the successes, reports and logs the failures once, never rejects', async () => {
    const logger = recording();
    await using tool = new LookupTool({ logger, retryAttempts: 1 });
    const items = [
      { op: 'find', input: { key: 'a' } },
      { op: 'find', kwargs: { key: 'b' } },
      { op: 'find', input: { key: 'bad' } },
      { op: 'nope', input: {} },
      { op: 'find', input: { key: 'c' } },
    ];
    const report = await tool.executor.warmUpCache(items, { concurrency: 3 });
    expect(report).toMatchObject({ total: 5, succeeded: 3, failed: 2 });
    expect(report.failures.map((f) => [f.index, f.operation])).toEqual([
      [2, 'find'],
      [3, 'nope'],
    ]);
    expect(report.failures[1]!.error).toBeInstanceOf(UnknownOperationError);
    expect(tool.peak).toBeGreaterThan(1);
    expect(tool.peak).toBeLessThanOrEqual(3);
    expect(logger.warnings.filter((w) => w.message.startsWith('cache warm-up'))).toHaveLength(1);
    // Filled: the next calls are hits (the method does not run again).
    const before = tool.calls;
    await expect(tool.run('find', { key: 'b' })).resolves.toBe('value of b');
    expect(tool.calls).toBe(before);
    expect(tool.executor.getMetrics().byOperation['find']!.cacheHits).toBe(1);
  });

  it('refuses a list that is not an array with a ConfigurationError (a rejection, not a throw)', async () => {
    await using tool = new LookupTool({ logger: recording() });
    const result = tool.executor.warmUpCache('find' as never);
    await expect(result).rejects.toBeInstanceOf(ConfigurationError);
    await expect(tool.executor.warmUpCache([], { concurrency: 0 })).rejects.toThrow(/warmUpCache.concurrency/);
  });

  it('on an app: by qualified name; an unknown name is a reported failure', async () => {
    const logger = recording();
    await using app = createApp({ tools: [LookupTool], logger, config: { retryAttempts: 1 } });
    const report = await app.warmUpCache([{ operation: 'lookup.find', input: { key: 'x' } }, { operation: 'lookup.missing' }]);
    expect(report).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
    expect(report.failures[0]!.operation).toBe('lookup.missing');
    await app.run('lookup.find', { key: 'x' });
    expect(app.getMetrics()['lookup']!.byOperation['find']!.cacheHits).toBe(1);
  });

  it('on ExecutionUtils: stores each result under its key with its ttl; a throwing fn is reported', async () => {
    const logger = recording();
    const store = new MemoryCacheStore({ maxSize: 10 });
    const utils = new ExecutionUtils({ cacheStore: store, logger });
    const report = await utils.warmUpCache([
      { key: 'k1', fn: () => 1 },
      { key: 'k2', fn: async () => ({ a: 2 }), ttlMs: 60_000 },
      {
        key: 'k3',
        fn: () => {
          throw new Error('boom');
        },
      },
    ]);
    expect(report).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
    expect(String(report.failures[0]!.error)).toContain('boom');
    expect(utils.getFromCache('k1')).toBe(1);
    expect(utils.getFromCache('k2')).toEqual({ a: 2 });
    expect(store.has('k3')).toBe(false);
    expect(logger.warnings).toHaveLength(1);
  });
});
