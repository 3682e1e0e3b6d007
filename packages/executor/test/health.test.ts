import { MeasureTime } from '@aiecs/core';
import { BaseTool, type CacheStore } from '../src';
import { FileTool, quiet, recordingLogger, runProbe } from './fixtures';

describe('metrics', () => {
  it('records timings of measured operations and logs them at debug level', async () => {
    const logger = recordingLogger();
    const tool = new FileTool({ logger });
    await tool.run('read', { path: 'a' });
    await tool.run('plain', { n: 1 }); // not measured
    const metrics = tool.executor.getMetrics();
    expect(metrics.byOperation.read.measured).toBe(1);
    expect(metrics.byOperation.plain.measured).toBe(0);
    expect(metrics.avgProcessingTimeMs).toBeGreaterThanOrEqual(0);
    expect(logger.lines.some((l) => l.level === 'debug' && l.fields?.operation === 'read' && typeof l.fields?.ms === 'number')).toBe(true);
  });

  it('logExecutionTime measures every operation', async () => {
    const tool = new FileTool({ ...quiet, logExecutionTime: true });
    await tool.run('plain', { n: 1 });
    expect(tool.executor.getMetrics().byOperation.plain.measured).toBe(1);
  });
});

describe('healthCheck()', () => {
  it('is healthy when the cache round trip works', async () => {
    const report = await new FileTool(quiet).executor.healthCheck();
    expect(report).toMatchObject({ status: 'healthy', cache: 'ok' });
  });

  it('is unhealthy when the cache fails, and says why', async () => {
    const broken: CacheStore = {
      get: () => undefined,
      set: () => Promise.reject(new Error('connection refused')),
      delete: () => undefined,
      clear: () => undefined,
      close: () => undefined,
    };
    const report = await new FileTool({ ...quiet, cacheStore: broken }).executor.healthCheck();
    expect(report).toMatchObject({ status: 'unhealthy', cache: 'failed' });
    expect(report.error).toContain('connection refused');
  });
});

describe('close()', () => {
  it('rejects later calls with a clear error', async () => {
    class T extends BaseTool {
      @MeasureTime() async op(_input: object) {
        return 1;
      }
    }
    const tool = new T(quiet);
    await tool.close();
    await expect(tool.run('op', {})).rejects.toThrow(/closed/);
  });

  it('a script that creates a tool, calls it and returns exits by itself', () => {
    const started = Date.now();
    const result = runProbe('exitProbe.ts');
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('done');
    expect(result.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});
