import type { CallOptions } from '@aiecs/core';
import type { JsonObjectSchema } from './inputSchema';
import { optionalNullsRemover } from './optionalNulls';
import { runToolCall, type ToolCallOutcome } from './runToolCall';
import { openAIStrictSchema, type StrictSchemaWarning } from './strictSchema';
import { toolFaces, type ToolFace, type ToolFaceOptions, type ToolFaces } from './toolFaces';
import type { ToolOrigin } from './toolSource';

/** A Chat Completions function tool (`tools: [...]` of `chat.completions.create`). */
export interface OpenAIChatTool {
  readonly type: 'function';
  readonly function: {
    readonly name: string;
    readonly description: string;
    readonly parameters: JsonObjectSchema;
    readonly strict: boolean;
  };
}

/** A Responses API function tool (`tools: [...]` of `responses.create`). */
export interface OpenAIResponsesTool {
  readonly type: 'function';
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonObjectSchema;
  readonly strict: boolean;
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

/** Options of `openAIFunctions`. */
export interface OpenAIFunctionsOptions extends ToolFaceOptions {
  /**
   * `true` (default, as OpenAI recommends): each tool whose schema has a strict form is sent with
   * `strict: true` and that form; the others with `strict: false` (see `strictness`). `false`: every
   * tool is sent with `strict: false` and its schema as generated.
   */
  readonly strict?: boolean;
}

/** Whether a tool is sent in strict mode, and what its strict schema leaves to the pipeline, or why it has none. */
export interface OpenAIStrictness {
  readonly name: string;
  readonly strict: boolean;
  /** Why the tool is not strict (its schema has no strict form, or strict mode was turned off). */
  readonly reason?: string;
  /** Keywords the strict schema leaves out; the pipeline still checks them. */
  readonly warnings: readonly StrictSchemaWarning[];
}

/** An app's tools for OpenAI function calling: the definitions, and the answer to a call the model made. */
export interface OpenAIFunctions {
  readonly chatTools: readonly OpenAIChatTool[];
  readonly responsesTools: readonly OpenAIResponsesTool[];
  /** Per tool: strict or not, and why. */
  readonly strictness: readonly OpenAIStrictness[];
  /** Runs the call through the full pipeline; never rejects (a failure is text the model can act on). */
  answer(call: OpenAIFunctionCall, options?: CallOptions): Promise<OpenAIFunctionAnswer>;
  readonly faces: ToolFaces;
}

/** How one tool is sent: its parameters and strictness, and for a strict tool the remover of optional nulls. */
interface SentForm {
  readonly strict: boolean;
  readonly parameters: JsonObjectSchema;
  readonly warnings: readonly StrictSchemaWarning[];
  readonly reason?: string;
  readonly removeNulls?: (args: unknown) => unknown;
}

/**
 * The tool definitions OpenAI's Chat Completions and Responses APIs accept, from an app (or one tool).
 * Names are `tool_operation` (OpenAI allows no dot).
 *
 * Strict mode is on by default for every tool whose schema can be expressed in it (`openAIStrictSchema`):
 * the model's arguments then always parse against the schema. There every field is required and an
 * optional one also accepts `null`: `answer` turns such a `null` back into an absent field before the
 * pipeline validates, so `@IsOptional()` fields and the cache key see what a non-strict call would send.
 * Keywords strict mode lacks (`maxLength`, `format: uri`…) are left out of the strict schema and still
 * enforced by the pipeline. A tool without a strict form is sent with `strict: false` (`strictness` says why).
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
export function openAIFunctions(origin: ToolOrigin, options: OpenAIFunctionsOptions = {}): OpenAIFunctions {
  const faces = toolFaces(origin, 'openai', options);
  const wantStrict = options.strict ?? true;
  const forms = new Map(
    faces.tools.map((face): [string, SentForm] => {
      const result = wantStrict ? openAIStrictSchema(face.inputSchema) : undefined;
      const form: SentForm =
        result?.strict === true
          ? { strict: true, parameters: result.schema, removeNulls: optionalNullsRemover(face.inputSchema), warnings: result.warnings }
          : {
              strict: false,
              parameters: face.inputSchema,
              reason: result?.reason ?? 'strict mode is turned off',
              warnings: result?.warnings ?? [],
            };
      return [face.name, form];
    }),
  );
  const formOf = (face: ToolFace) => forms.get(face.name)!;
  const chatTools = faces.tools.map((f): OpenAIChatTool => ({
    type: 'function',
    function: { name: f.name, description: f.description, parameters: formOf(f).parameters, strict: formOf(f).strict },
  }));
  const responsesTools = faces.tools.map((f): OpenAIResponsesTool => ({
    type: 'function',
    name: f.name,
    description: f.description,
    parameters: formOf(f).parameters,
    strict: formOf(f).strict,
  }));
  const strictness = faces.tools.map((f): OpenAIStrictness => {
    const { strict, warnings, reason } = formOf(f);
    return Object.freeze({ name: f.name, strict, warnings, ...(reason === undefined ? {} : { reason }) });
  });
  // Only a strict tool's model sends null for an absent optional field.
  const prepare = (args: unknown, face: ToolFace) => {
    const { removeNulls } = formOf(face);
    return removeNulls === undefined ? args : removeNulls(args);
  };
  return {
    chatTools,
    responsesTools,
    strictness,
    faces,
    answer: async (call, callOptions) => {
      const [id, name, args] =
        call.type === 'function' ? [call.id, call.function.name, call.function.arguments] : [call.call_id, call.name, call.arguments];
      const outcome = await runToolCall(faces, name, args, { toolCallId: id, ...callOptions }, prepare);
      return {
        chatMessage: { role: 'tool', tool_call_id: id, content: outcome.text },
        responsesItem: { type: 'function_call_output', call_id: id, output: outcome.text },
        outcome,
      };
    },
  };
}
