import { Operation, PIPELINE_CONTEXT, Tool } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';
import { runToolCall, ToolCallFailure, toolFaces } from '@aiecs/tool-definitions';
import { ToolInputParsingException } from '@langchain/core/tools';
import { langChainTools } from '../src';
import { createSampleApp } from '../../tool-definitions/test/sampleApp';

@Tool({ name: 'who', description: 'Says which call it is' })
class WhoAmITool extends BaseTool {
  @Operation({ readOnly: true })
  async ami(_input: unknown, ctx = PIPELINE_CONTEXT): Promise<string> {
    return ctx.toolCallId ?? 'no id';
  }
}

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

  it('input the schema refuses is refused by the pipeline, with the text every client gets (not LangChain’s ToolInputParsingException)', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const wait = langChainTools(app).find((t) => t.name === 'calc_wait')!;
    const args = { ms: 'soon', steps: 0, extra: 1 };
    const error = await wait.invoke(args as never).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ToolInputParsingException);
    expect(error).toBeInstanceOf(ToolCallFailure);
    const mcpText = (await runToolCall(toolFaces(app, 'openai'), 'calc_wait', args)) as { text: string };
    expect((error as ToolCallFailure).message).toBe(mcpText.text);
    expect((error as ToolCallFailure).failure).toMatchObject({ code: 'INPUT_VALIDATION' });
    expect((error as Error).message).toMatch(/- ms: expected .*; received "soon"/);
    expect((error as Error).message).toContain('- extra: expected property extra should not exist; received 1');
    // The same through a model's tool call.
    const fromCall = await wait.invoke({ id: 'tc2', name: 'calc_wait', args, type: 'tool_call' } as never).catch((e: unknown) => e);
    expect((fromCall as ToolCallFailure).message).toBe(mcpText.text);
  });

  it('the model sees the generated JSON Schema; a ToolCall’s id reaches the operation as ctx.toolCallId', async () => {
    const { app } = createSampleApp(() => [WhoAmITool]);
    await using _app = app;
    const tools = langChainTools(app);
    expect(tools.find((t) => t.name === 'calc_wait')!.schema).toMatchObject({ required: ['ms', 'steps'], additionalProperties: false });
    const whoami = tools.find((t) => t.name === 'who_ami')!;
    const message = await whoami.invoke({ id: 'tc-42', name: 'who_ami', args: {}, type: 'tool_call' });
    expect(message).toMatchObject({ tool_call_id: 'tc-42', content: 'tc-42' });
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
