import { CacheResult, MeasureTime, Sanitize, ValidateInput, isIntercepted, originalMethod, type ToolContext } from '@aiecs/core';
import { IsString } from '@aiecs/validation';
import { InputValidationError, SecurityError } from '@aiecs/core';
import { BaseTool, STAGE_NAMES } from '../src';
import { FileTool, quiet, ReadInput } from './fixtures';

class QueryInput {
  @IsString() q!: string;
}

// The same concerns, declared in two different textual orders.
class OrderA extends BaseTool {
  runs = 0;
  @ValidateInput(QueryInput)
  @Sanitize()
  @CacheResult()
  @MeasureTime()
  async search(input: QueryInput) {
    this.runs++;
    return input.q;
  }
}
class OrderB extends BaseTool {
  runs = 0;
  @MeasureTime()
  @CacheResult()
  @Sanitize()
  @ValidateInput(QueryInput)
  async search(input: QueryInput) {
    this.runs++;
    return input.q;
  }
}

describe('pipeline composition', () => {
  it.each([
    ['OrderA', OrderA],
    ['OrderB', OrderB],
  ])('%s: composes the same stages in the fixed order whatever the decorator order', (_name, Tool) => {
    const tool = new Tool(quiet);
    const { stages } = tool.executor.describe('search');
    expect(stages).toEqual([
      'instrument',
      'cacheLookup',
      'inputSize',
      'validate',
      'sanitize',
      'deadline',
      'singleFlight',
      'cacheStore',
      'retry',
      'measure',
      'invoke',
    ]);
    expect([...stages]).toEqual(STAGE_NAMES.filter((s) => stages.includes(s)));
  });

  it.each([
    ['OrderA', OrderA],
    ['OrderB', OrderB],
  ])('%s: validation and sanitisation run before the cache, whatever the order', async (_name, Tool) => {
    const tool = new Tool(quiet);
    await expect(tool.search({ q: 42 } as never)).rejects.toBeInstanceOf(InputValidationError);
    await expect(tool.search({ q: "x' OR 1=1 --" })).rejects.toBeInstanceOf(SecurityError);
    await tool.search({ q: 'fine' });
    await tool.search({ q: 'fine' });
    expect(tool.runs).toBe(1);
    const m = tool.executor.getMetrics();
    expect(m.cacheHits).toBe(1);
    expect(m.requests).toBe(4);
  });

  it('wraps each decorated method once, not once per decorator', () => {
    const method = FileTool.prototype.read;
    expect(isIntercepted(method)).toBe(true);
    // One forwarder whose original is the user's method: unwrapping once reaches a plain function.
    expect(isIntercepted(originalMethod(method))).toBe(false);
  });

  it('plans an operation once and reuses it', () => {
    const tool = new FileTool(quiet);
    const first = tool.executor.describe('read');
    const second = tool.executor.describe('read');
    expect(first.plan.validate).toBe(second.plan.validate);
  });
});

describe('direct calls', () => {
  it('go through validation, sanitisation and the cache', async () => {
    const tool = new FileTool(quiet);
    await expect(tool.read({ path: 5 } as never, undefined as never)).rejects.toBeInstanceOf(InputValidationError);
    await expect(tool.read({ path: '../../etc/passwd' }, undefined as never)).rejects.toBeInstanceOf(SecurityError);
    const a = await tool.read({ path: 'a.txt' }, undefined as never);
    const b = await tool.read({ path: 'a.txt' }, undefined as never);
    expect(a).toEqual(b);
    expect(a.isInstance).toBe(true);
    expect(tool.calls).toBe(1);
  });

  it('run() and a direct call share the same cache and counters', async () => {
    const tool = new FileTool(quiet);
    await tool.run('read', { path: 'a.txt' }, { userId: 'u1', taskId: 't1' });
    await tool.read({ path: 'a.txt' }, { userId: 'u1', taskId: 't1' } as never);
    expect(tool.calls).toBe(1);
    expect(tool.executor.getMetrics().byOperation.read.cacheHits).toBe(1);
  });

  it('passes a ToolContext with user, task, operation and attempt', async () => {
    let seen: ToolContext | undefined;
    class CtxTool extends BaseTool {
      @MeasureTime()
      async op(_input: object, ctx: ToolContext) {
        seen = ctx;
        return ctx.signal.aborted;
      }
    }
    const tool = new CtxTool(quiet);
    await expect(tool.run('op', {}, { userId: 'alice', taskId: 'job-7' })).resolves.toBe(false);
    expect(seen).toMatchObject({ userId: 'alice', taskId: 'job-7', operation: 'op', attempt: 1 });
    await tool.run('op', {});
    expect(seen).toMatchObject({ userId: 'anonymous', taskId: 'none' });
  });

  it('the static <Op>Schema convention registers a schema and intercepts direct calls', async () => {
    class ConventionTool extends BaseTool {
      static ReadSchema = ReadInput;
      async read(input: ReadInput) {
        return input.path;
      }
    }
    const tool = new ConventionTool(quiet);
    await expect(tool.run('read', { path: 'x' })).resolves.toBe('x');
    await expect(tool.run('read', { path: 1 } as never)).rejects.toBeInstanceOf(InputValidationError);
    await expect(tool.read({ extra: true } as never)).rejects.toBeInstanceOf(InputValidationError);
  });
});
