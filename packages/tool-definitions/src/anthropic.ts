import type { CallOptions } from '@aiecs/core';
import type { JsonObjectSchema } from './inputSchema';
import { runToolCall, type ToolCallOutcome } from './runToolCall';
import { toolFaces, type ToolFaceOptions, type ToolFaces } from './toolFaces';
import type { ToolOrigin } from './toolSource';

/** A tool definition of Anthropic's Messages API (`tools: [...]` of `messages.create`). */
export interface AnthropicTool {
  readonly name: string;
  readonly description: string;
  readonly input_schema: JsonObjectSchema;
}

/** A `tool_use` content block of the model's reply. */
export interface AnthropicToolUse {
  readonly type: 'tool_use';
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
}

/** The `tool_result` block to send back in the next user message, and the outcome. */
export interface AnthropicToolAnswer {
  readonly block: { readonly type: 'tool_result'; readonly tool_use_id: string; readonly content: string; readonly is_error: boolean };
  readonly outcome: ToolCallOutcome;
}

/** An app's tools for Anthropic tool use: the definitions, and the answer to a `tool_use` block. */
export interface AnthropicTools {
  readonly tools: readonly AnthropicTool[];
  /** Runs the call through the full pipeline; never rejects (a failure is a `tool_result` with `is_error: true`). */
  answer(toolUse: AnthropicToolUse, options?: CallOptions): Promise<AnthropicToolAnswer>;
  readonly faces: ToolFaces;
}

/**
 * The tool definitions Anthropic's Messages API accepts, from an app (or one tool); names are
 * `tool_operation` (Anthropic allows no dot).
 *
 * @example
 * ```ts
 * const anthropic = anthropicTools(app);
 * const reply = await client.messages.create({ model, max_tokens, messages, tools: [...anthropic.tools] });
 * const results = await Promise.all(reply.content.filter((b) => b.type === 'tool_use').map(async (b) => (await anthropic.answer(b)).block));
 * ```
 */
export function anthropicTools(origin: ToolOrigin, options?: ToolFaceOptions): AnthropicTools {
  const faces = toolFaces(origin, 'anthropic', options);
  return {
    tools: faces.tools.map((f): AnthropicTool => ({ name: f.name, description: f.description, input_schema: f.inputSchema })),
    faces,
    answer: async (toolUse, callOptions) => {
      const outcome = await runToolCall(faces, toolUse.name, toolUse.input, { toolCallId: toolUse.id, ...callOptions });
      return { block: { type: 'tool_result', tool_use_id: toolUse.id, content: outcome.text, is_error: outcome.isError }, outcome };
    },
  };
}
