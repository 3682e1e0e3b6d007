/**
 * The definitions and answers checked against the SDKs themselves: a type-level check (this file does
 * not compile if a shape drifts from the SDK's types) and a round trip through each real SDK client
 * with a local `fetch` (no network): the SDK serialises our tools into its request, and its parsed
 * reply's tool calls are answered through the pipeline.
 */
import { Operation, PIPELINE_CONTEXT, Tool } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { anthropicTools, openAIFunctions } from '../src';
import { createSampleApp } from './sampleApp';

type Captured = { url: string; body: Record<string, unknown> };

function fakeFetch(reply: unknown, captured: Captured[]): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    captured.push({ url: String(url), body: JSON.parse(String(init?.body)) as Record<string, unknown> });
    return new Response(JSON.stringify(reply), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('OpenAI function definitions', () => {
  it('type-check as the SDK’s Chat and Responses tools, and answer the SDK’s tool calls', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const openai = openAIFunctions(app);
    const chatTools: OpenAI.Chat.Completions.ChatCompletionTool[] = [...openai.chatTools];
    const responsesTools: OpenAI.Responses.Tool[] = [...openai.responsesTools];
    expect(responsesTools).toHaveLength(chatTools.length);

    const captured: Captured[] = [];
    const completion = {
      id: 'c1',
      object: 'chat.completion',
      created: 0,
      model: 'gpt-test',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          logprobs: null,
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'calc_sum', arguments: '{"values":[1,2,3]}' } },
              { id: 'call_2', type: 'function', function: { name: 'calc_sum', arguments: '{"values":["x"]}' } },
            ],
          },
        },
      ],
    };
    const client = new OpenAI({
      apiKey: 'test',
      baseURL: 'http://openai.invalid/v1',
      fetch: fakeFetch(completion, captured),
      maxRetries: 0,
    });
    const reply = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'add 1 2 3' }],
      tools: chatTools,
    });
    expect(captured[0]!.body.tools).toEqual(JSON.parse(JSON.stringify(openai.chatTools)));

    const calls = reply.choices[0]!.message.tool_calls ?? [];
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [];
    for (const call of calls) {
      if (call.type !== 'function') continue;
      messages.push((await openai.answer(call, { userId: 'u1' })).chatMessage);
    }
    expect(messages[0]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"total":6}' });
    expect(messages[1]).toMatchObject({ role: 'tool', tool_call_id: 'call_2' });
    expect((messages[1] as { content: string }).content).toContain(
      '- values: expected each value in values must be a number conforming to the specified constraints; received ["x"]',
    );
  });

  it('answer a Responses function_call with a function_call_output item the SDK accepts', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const openai = openAIFunctions(app);
    const call: OpenAI.Responses.ResponseFunctionToolCall = {
      type: 'function_call',
      call_id: 'fc_1',
      name: 'calc_sum',
      arguments: '{"values":[2,2]}',
    };
    const item: OpenAI.Responses.ResponseInputItem = (await openai.answer(call)).responsesItem;
    expect(item).toEqual({ type: 'function_call_output', call_id: 'fc_1', output: '{"total":4}' });
  });
});

describe('Anthropic tool definitions', () => {
  it('type-check as the SDK’s tools, go through its client, and answer its tool_use blocks', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const anthropic = anthropicTools(app);
    const tools: Anthropic.Messages.ToolUnion[] = [...anthropic.tools];

    const captured: Captured[] = [];
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 1 },
      content: [{ type: 'tool_use', id: 'tu_1', name: 'journal_append', input: { text: 'hello' } }],
    };
    const client = new Anthropic({
      apiKey: 'test',
      baseURL: 'http://anthropic.invalid',
      fetch: fakeFetch(message, captured),
      maxRetries: 0,
    });
    const reply = await client.messages.create({
      model: 'claude-test',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'log hello' }],
      tools,
    });
    expect(captured[0]!.body.tools).toEqual(JSON.parse(JSON.stringify(anthropic.tools)));

    const results: Anthropic.Messages.ToolResultBlockParam[] = [];
    for (const block of reply.content) if (block.type === 'tool_use') results.push((await anthropic.answer(block)).block);
    expect(results).toEqual([{ type: 'tool_result', tool_use_id: 'tu_1', content: 'appended 5 characters', is_error: false }]);
  });

  it('passes the tool_use id on as the call’s toolCallId', async () => {
    @Tool({ name: 'who', description: 'Says which call it is' })
    class WhoAmITool extends BaseTool {
      @Operation({ readOnly: true })
      async ami(_input: unknown, ctx = PIPELINE_CONTEXT): Promise<string> {
        return ctx.toolCallId ?? 'no id';
      }
    }
    const { app } = createSampleApp(() => [WhoAmITool]);
    await using _app = app;
    const { block } = await anthropicTools(app).answer({ type: 'tool_use', id: 'toolu_7', name: 'who_ami', input: {} });
    expect(block).toMatchObject({ tool_use_id: 'toolu_7', content: 'toolu_7', is_error: false });
  });

  it('answers a failing tool_use with is_error: true', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const anthropic = anthropicTools(app);
    const block: Anthropic.Messages.ToolUseBlock = {
      type: 'tool_use',
      id: 'tu_2',
      name: 'calc_wait',
      input: { ms: -1, steps: 1 },
      caller: { type: 'direct' },
    } as Anthropic.Messages.ToolUseBlock;
    const { block: result } = await anthropic.answer(block);
    expect(result.is_error).toBe(true);
    expect(result.content).toMatch(/- ms: expected .*; received -1/);
  });
});
