import type { CallOptions } from '@aiecs/core';
import type { JsonObjectSchema } from './inputSchema';
import { runToolCall, type ToolCallOutcome } from './runToolCall';
import { toolFaces, type ToolFaceOptions, type ToolFaces } from './toolFaces';
import type { ToolOrigin } from './toolSource';

/** A Chat Completions function tool (`tools: [...]` of `chat.completions.create`). */
export interface OpenAIChatTool {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description: string; readonly parameters: JsonObjectSchema; readonly strict: false };
}

/** A Responses API function tool (`tools: [...]` of `responses.create`). */
export interface OpenAIResponsesTool {
  readonly type: 'function';
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonObjectSchema;
  readonly strict: false;
}

/** A function call as the model returns it: Chat Completions' `tool_calls[i]` or a Responses `function_call` item. */
export type OpenAIFunctionCall =
  | { readonly id: string; readonly type: 'function'; readonly function: { readonly name: string; readonly arguments: string } }
  | { readonly type: 'function_call'; readonly call_id: string; readonly name: string; readonly arguments: string };

/** What to send back for a function call: a Chat `tool` message or a Responses `function_call_output` item, and the outcome. */
export interface OpenAIFunctionAnswer {
  readonly chatMessage: { readonly role: 'tool'; readonly tool_call_id: string; readonly content: string };
  readonly responsesItem: { readonly type: 'function_call_output'; readonly call_id: string; readonly output: string };
  readonly outcome: ToolCallOutcome;
}

/** An app's tools for OpenAI function calling: the definitions, and the answer to a call the model made. */
export interface OpenAIFunctions {
  readonly chatTools: readonly OpenAIChatTool[];
  readonly responsesTools: readonly OpenAIResponsesTool[];
  /** Runs the call through the full pipeline; never rejects (a failure is text the model can act on). */
  answer(call: OpenAIFunctionCall, options?: CallOptions): Promise<OpenAIFunctionAnswer>;
  readonly faces: ToolFaces;
}

/**
 * The tool definitions OpenAI's Chat Completions and Responses APIs accept, from an app (or one tool).
 * Names are `tool_operation` (OpenAI allows no dot); `strict` is off, since strict mode requires every
 * property to be required and optional fields would have to become nullable.
 *
 * @example
 * ```ts
 * const openai = openAIFunctions(app);
 * const completion = await client.chat.completions.create({ model, messages, tools: [...openai.chatTools] });
 * for (const call of completion.choices[0].message.tool_calls ?? []) {
 *   messages.push((await openai.answer(call, { userId })).chatMessage);
 * }
 * ```
 */
export function openAIFunctions(origin: ToolOrigin, options?: ToolFaceOptions): OpenAIFunctions {
  const faces = toolFaces(origin, 'openai', options);
  const chatTools = faces.tools.map((f): OpenAIChatTool => ({
    type: 'function',
    function: { name: f.name, description: f.description, parameters: f.inputSchema, strict: false },
  }));
  const responsesTools = faces.tools.map((f): OpenAIResponsesTool => ({
    type: 'function',
    name: f.name,
    description: f.description,
    parameters: f.inputSchema,
    strict: false,
  }));
  return {
    chatTools,
    responsesTools,
    faces,
    answer: async (call, callOptions) => {
      const [id, name, args] =
        call.type === 'function' ? [call.id, call.function.name, call.function.arguments] : [call.call_id, call.name, call.arguments];
      const outcome = await runToolCall(faces, name, args, callOptions);
      return {
        chatMessage: { role: 'tool', tool_call_id: id, content: outcome.text },
        responsesItem: { type: 'function_call_output', call_id: id, output: outcome.text },
        outcome,
      };
    },
  };
}
