import { CacheResult, InputValidationError, Operation, PIPELINE_CONTEXT, Tool, ValidateInput, type ProgressReport } from '@aiecs/core';
import { IsInt, Min } from '@aiecs/validation';
import { BaseTool, createApp } from '../src';

class CountInput {
  @IsInt() @Min(1) steps!: number;
}

@Tool({ name: 'counter' })
class CounterTool extends BaseTool {
  @Operation({ readOnly: true })
  @ValidateInput(CountInput)
  async count(input: CountInput, ctx = PIPELINE_CONTEXT): Promise<number> {
    for (let i = 1; i <= input.steps; i++) ctx.reportProgress?.(i, input.steps, `step ${i}`);
    return input.steps;
  }

  @Operation({ readOnly: true })
  @ValidateInput(CountInput)
  @CacheResult()
  async slowCount(input: CountInput, ctx = PIPELINE_CONTEXT): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    ctx.reportProgress?.(1, 1);
    return input.steps;
  }
}

describe('ctx.reportProgress', () => {
  it('hands each report to the caller’s onProgress, in order', async () => {
    await using app = createApp({ tools: [CounterTool] });
    const reports: ProgressReport[] = [];
    await expect(app.run('counter.count', { steps: 3 }, { onProgress: (r) => reports.push(r) })).resolves.toBe(3);
    expect(reports).toEqual([
      { progress: 1, total: 3, message: 'step 1' },
      { progress: 2, total: 3, message: 'step 2' },
      { progress: 3, total: 3, message: 'step 3' },
    ]);
  });

  it('is a no-op without a listener, and a throwing listener does not fail the call', async () => {
    await using app = createApp({ tools: [CounterTool] });
    await expect(app.run('counter.count', { steps: 2 })).resolves.toBe(2);
    await expect(
      app.run(
        'counter.count',
        { steps: 2 },
        {
          onProgress: () => {
            throw new Error('listener bug');
          },
        },
      ),
    ).resolves.toBe(2);
  });

  it('reaches every caller sharing a single flight', async () => {
    await using app = createApp({ tools: [CounterTool] });
    const first: ProgressReport[] = [];
    const second: ProgressReport[] = [];
    const results = await Promise.all([
      app.run('counter.slowCount', { steps: 5 }, { onProgress: (r) => first.push(r) }),
      app.run('counter.slowCount', { steps: 5 }, { onProgress: (r) => second.push(r) }),
    ]);
    expect(results).toEqual([5, 5]);
    expect(first).toEqual([{ progress: 1, total: 1 }]);
    expect(second).toEqual([{ progress: 1, total: 1 }]);
  });

  it('refuses an onProgress that is not a function, naming the option', async () => {
    await using app = createApp({ tools: [CounterTool] });
    const error = await app.run('counter.count', { steps: 1 }, { onProgress: 'yes' } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).errors[0]!.path).toBe('(context).onProgress');
  });
});
