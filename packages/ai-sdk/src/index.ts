import type { CallOptions } from '@aiecs/core';
import { runToolCall, toolFaces, ToolCallFailure, type ToolFaceOptions, type ToolOrigin } from '@aiecs/tool-definitions';
import { jsonSchema, tool, type JSONSchema7, type Tool, type ToolExecutionOptions } from 'ai';

/** Options of `aiSdkTools`. */
export interface AiSdkToolsOptions extends ToolFaceOptions {
  /** Who calls (user and task ids for the cache): fixed, or from the SDK's execution options. */
  readonly context?:
    | Pick<CallOptions, 'userId' | 'taskId' | 'deadlineMs'>
    | ((execution: ToolExecutionOptions) => Pick<CallOptions, 'userId' | 'taskId' | 'deadlineMs'>);
}

/**
 * An app's (or one tool's) operations as Vercel AI SDK `tool()` objects, keyed by name (`tool_operation`).
 * `execute` runs the full pipeline (cache, validation, policies, metrics) with the SDK's `abortSignal`
 * and its `toolCallId` (the operation's `ctx.toolCallId`, and every event's);
 * a failure is thrown as a `ToolCallFailure` whose message is the model-facing explanation, which the
 * SDK hands to the model as the tool's error.
 *
 * @example
 * ```ts
 * const result = await generateText({ model, tools: aiSdkTools(app, { context: { userId } }), prompt });
 * ```
 */
export function aiSdkTools(origin: ToolOrigin, options: AiSdkToolsOptions = {}): Record<string, Tool<unknown, unknown>> {
  const faces = toolFaces(origin, 'openai', options);
  const contextOf = typeof options.context === 'function' ? options.context : () => (options.context as CallOptions | undefined) ?? {};
  return Object.fromEntries(
    faces.tools.map((face) => [
      face.name,
      tool<unknown, unknown>({
        description: face.description,
        // The pipeline validates; the SDK's own check would only duplicate it with a vaguer message.
        inputSchema: jsonSchema<unknown>(face.inputSchema as JSONSchema7),
        execute: async (input, execution) => {
          const outcome = await runToolCall(faces, face.name, input, {
            ...contextOf(execution),
            signal: execution.abortSignal,
            toolCallId: execution.toolCallId,
          });
          if (outcome.isError) throw new ToolCallFailure(outcome.failure);
          return outcome.value;
        },
      }),
    ]),
  );
}
