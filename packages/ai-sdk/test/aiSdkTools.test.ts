import { Operation, PIPELINE_CONTEXT, Tool } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';
import { ToolCallFailure } from '@aiecs/tool-definitions';
import { generateText, type ModelMessage } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { aiSdkTools } from '../src';
import { createSampleApp } from '../../tool-definitions/test/sampleApp';

@Tool({ name: 'who', description: 'Says which call it is' })
class WhoAmITool extends BaseTool {
  @Operation({ readOnly: true })
  async ami(_input: unknown, ctx = PIPELINE_CONTEXT): Promise<string> {
    return ctx.toolCallId ?? 'no id';
  }
}

const execution = (abortSignal?: AbortSignal) => ({ toolCallId: 'call-1', messages: [] as ModelMessage[], abortSignal });

describe('AI SDK tool() objects', () => {
  it('execute through the pipeline: validated, cached per user', async () => {
    const { app, counters } = createSampleApp();
    await using _app = app;
    const tools = aiSdkTools(app, { context: { userId: 'u1' } });
    expect(Object.keys(tools)).toEqual(expect.arrayContaining(['calc_sum', 'calc_wait', 'journal_append']));
    await expect(tools.calc_sum!.execute!({ values: [1, 2] }, execution())).resolves.toEqual({ total: 3 });
    await expect(tools.calc_sum!.execute!({ values: [1, 2] }, execution())).resolves.toEqual({ total: 3 });
    expect(counters.sumRuns.get('u1')).toBe(1);
    const failure = await Promise.resolve(tools.calc_sum!.execute!({ values: [] }, execution())).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ToolCallFailure);
    expect((failure as ToolCallFailure).message).toContain('- values: expected values must contain at least 1 elements; received []');
  });

  it('pass the SDK’s toolCallId on as ctx.toolCallId', async () => {
    const { app } = createSampleApp(() => [WhoAmITool]);
    await using _app = app;
    const tools = aiSdkTools(app);
    await expect(tools.who_ami!.execute!({}, { toolCallId: 'call-77', messages: [] })).resolves.toBe('call-77');
  });

  it('pass the SDK’s abortSignal on to the operation', async () => {
    const { app, counters } = createSampleApp();
    await using _app = app;
    const tools = aiSdkTools(app);
    const controller = new AbortController();
    const call = Promise.resolve(tools.calc_wait!.execute!({ ms: 10_000, steps: 100 }, execution(controller.signal))).catch(
      (e: unknown) => e,
    );
    setTimeout(() => controller.abort(), 100);
    const error = await call;
    expect((error as ToolCallFailure).failure.code).toBe('ABORTED');
    expect(counters.waitAborts).toBe(1);
  });

  it('run inside generateText: the model’s tool calls come back as results, a failure as the tool error the model reads', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const model = new MockLanguageModelV3({
      doGenerate: async () => ({
        content: [
          { type: 'tool-call', toolCallId: 't1', toolName: 'calc_sum', input: '{"values":[2,3]}' },
          { type: 'tool-call', toolCallId: 't2', toolName: 'calc_wait', input: '{"ms":0,"steps":1}' },
        ],
        finishReason: { unified: 'tool-calls', raw: undefined },
        usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } },
        warnings: [],
      }),
    });
    const result = await generateText({ model, tools: aiSdkTools(app), prompt: 'add 2 and 3' });
    const parts = result.steps[0]!.content;
    expect(parts.find((p) => p.type === 'tool-result')).toMatchObject({ toolName: 'calc_sum', output: { total: 5 } });
    const error = parts.find((p) => p.type === 'tool-error') as { error: unknown } | undefined;
    expect(String((error?.error as Error).message)).toContain('- ms: expected ms must not be less than 1; received 0');
  });
});
