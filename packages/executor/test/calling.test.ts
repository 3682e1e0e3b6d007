import { ConfigurationError, InputValidationError, ToolExecutionError, UnknownOperationError } from '@aiecs/core';
import { BaseTool } from '../src';
import { FileTool, quiet } from './fixtures';

class BatchTool extends BaseTool {
  running = 0;
  peak = 0;
  async echo(input: { n: number; fail?: boolean; delayMs?: number }) {
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    await new Promise((resolve) => setTimeout(resolve, input.delayMs ?? 1));
    this.running--;
    if (input.fail) throw new Error(`item ${input.n} failed`);
    return input.n;
  }
}

const noRetry = { ...quiet, retryAttempts: 1 };

describe('run()', () => {
  it('refuses unknown and private operations with UnknownOperationError', async () => {
    const tool = new FileTool(quiet);
    await expect(tool.run('nope' as never, {} as never)).rejects.toBeInstanceOf(UnknownOperationError);
    await expect(tool.run('_secret' as never, {} as never)).rejects.toThrow(/private/);
    await expect(tool.run('run' as never, {} as never)).rejects.toBeInstanceOf(UnknownOperationError);
    await expect(tool.run('constructor' as never, {} as never)).rejects.toBeInstanceOf(UnknownOperationError);
  });

  it('refuses a non-object input with InputValidationError, not a TypeError', async () => {
    const tool = new FileTool(quiet);
    for (const bad of [null, 42, 'path', [1, 2]]) {
      const error = await tool.run('plain', bad as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputValidationError);
      expect((error as InputValidationError).errors[0].path).toBe('');
    }
    await expect(tool.run('plain', { n: 1 }, 'user' as never)).rejects.toBeInstanceOf(InputValidationError);
  });

  it('reports every failing field of a nested schema with its path', async () => {
    const tool = new FileTool(quiet);
    const error = (await tool
      .run('order', {
        customer: 7,
        items: [
          { name: 'a', qty: 1 },
          { name: 2, qty: -1 },
        ],
      } as never)
      .catch((e) => e)) as InputValidationError;
    expect(error).toBeInstanceOf(InputValidationError);
    expect(error.errors.map((e) => e.path).sort()).toEqual(['customer', 'items.1.name', 'items.1.qty']);
    expect(error.message).toContain('items.1.qty');
  });

  it('wraps other failures in ToolExecutionError with tool, operation and cause', async () => {
    const tool = new BatchTool(noRetry);
    const error = (await tool.run('echo', { n: 1, fail: true }).catch((e) => e)) as ToolExecutionError;
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error).toMatchObject({ tool: 'batch', operation: 'echo', code: 'TOOL_EXECUTION' });
    expect((error.cause as Error).message).toBe('item 1 failed');
    expect(tool.executor.getMetrics().failures).toBe(1);
  });

  it('runs undecorated public methods as operations', async () => {
    const tool = new FileTool(quiet);
    await expect(tool.run('plain', { n: 21 })).resolves.toBe(42);
  });
});

describe('runBatch()', () => {
  it('returns results in input order with bounded concurrency', async () => {
    const tool = new BatchTool(noRetry);
    const items = [30, 1, 20, 5, 10].map((delayMs, n) => ({ op: 'echo' as const, input: { n, delayMs } }));
    await expect(tool.runBatch(items, { concurrency: 2 })).resolves.toEqual([0, 1, 2, 3, 4]);
    expect(tool.peak).toBe(2);
  });

  it('accepts the seed item shape { op, kwargs }', async () => {
    const tool = new BatchTool(noRetry);
    await expect(tool.runBatch([{ op: 'echo', kwargs: { n: 9 } }])).resolves.toEqual([9]);
  });

  it('rejects on the first failure by default', async () => {
    const tool = new BatchTool(noRetry);
    const items = [
      { op: 'echo' as const, input: { n: 0 } },
      { op: 'echo' as const, input: { n: 1, fail: true } },
    ];
    await expect(tool.runBatch(items)).rejects.toThrow('item 1 failed');
  });

  it('settle mode reports one outcome per item', async () => {
    const tool = new BatchTool(noRetry);
    const items = [
      { op: 'echo' as const, input: { n: 0 } },
      { op: 'echo' as const, input: { n: 1, fail: true } },
      { op: 'nope' as never, input: {} as never },
    ];
    const results = await tool.runBatch(items, { settle: true });
    expect(results[0]).toEqual({ status: 'fulfilled', value: 0 });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(ToolExecutionError) });
    expect(results[2]).toMatchObject({ status: 'rejected', reason: expect.any(UnknownOperationError) });
  });

  it('rejects an invalid concurrency', async () => {
    const tool = new BatchTool(noRetry);
    await expect(tool.runBatch([], { concurrency: 0 })).rejects.toThrow(ConfigurationError);
  });
});
