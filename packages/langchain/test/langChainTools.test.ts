import { ToolCallFailure } from '@aiecs/tool-definitions';
import { ToolInputParsingException } from '@langchain/core/tools';
import { langChainTools } from '../src';
import { createSampleApp } from '../../tool-definitions/test/sampleApp';

describe('LangChain.js structured tools', () => {
  it('invoke through the pipeline with the generated schema, cached per user', async () => {
    const { app, counters } = createSampleApp();
    await using _app = app;
    const tools = langChainTools(app, { context: (config) => ({ userId: String(config?.configurable?.userId ?? 'nobody') }) });
    const sum = tools.find((t) => t.name === 'calc_sum')!;
    expect(sum.description).toBe('Adds numbers');
    expect(sum.schema).toMatchObject({ type: 'object', required: ['values'] });
    await expect(sum.invoke({ values: [4, 5] }, { configurable: { userId: 'ann' } })).resolves.toBe('{"total":9}');
    await expect(sum.invoke({ values: [4, 5] }, { configurable: { userId: 'ann' } })).resolves.toBe('{"total":9}');
    await expect(sum.invoke({ values: [4, 5] }, { configurable: { userId: 'bob' } })).resolves.toBe('{"total":9}');
    expect(Object.fromEntries(counters.sumRuns)).toEqual({ ann: 1, bob: 1 });
  });

  it('a tool call from a model message comes back as a ToolMessage', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const sum = langChainTools(app).find((t) => t.name === 'calc_sum')!;
    const message = await sum.invoke({ id: 'tc1', name: 'calc_sum', args: { values: [1] }, type: 'tool_call' });
    expect(message).toMatchObject({ tool_call_id: 'tc1', content: '{"total":1}' });
  });

  it('a failure rejects with the model-facing explanation', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const append = langChainTools(app).find((t) => t.name === 'journal_append')!;
    const error = await append.invoke({ text: 'slow', delayMs: 2_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallFailure);
    expect((error as Error).message).toContain('It may still have taken effect (it is not declared idempotent)');
  });

  it('input the schema refuses is refused by LangChain’s own check, naming where', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const wait = langChainTools(app).find((t) => t.name === 'calc_wait')!;
    const error = await wait.invoke({ ms: 'soon', steps: 1 } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolInputParsingException);
    expect((error as Error).message).toContain('#/properties/ms/type');
  });

  it('pass the run’s signal on to the operation', async () => {
    const { app, counters } = createSampleApp();
    await using _app = app;
    const wait = langChainTools(app).find((t) => t.name === 'calc_wait')!;
    const controller = new AbortController();
    const call = wait.invoke({ ms: 10_000, steps: 100 }, { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 100);
    await call;
    for (let i = 0; i < 50 && counters.waitAborts === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counters.waitAborts).toBe(1);
  });
});
