import type { CallOptions } from '@aiecs/core';
import { runToolCall, toolFaces, ToolCallFailure, type ToolFaceOptions, type ToolOrigin } from '@aiecs/tool-definitions';
import { DynamicStructuredTool, type ToolRunnableConfig } from '@langchain/core/tools';

/** Options of `langChainTools`. */
export interface LangChainToolsOptions extends ToolFaceOptions {
  /** Who calls (user and task ids for the cache): fixed, or from the run's config (`configurable`, `metadata`). */
  readonly context?:
    | Pick<CallOptions, 'userId' | 'taskId' | 'deadlineMs'>
    | ((config: ToolRunnableConfig | undefined) => Pick<CallOptions, 'userId' | 'taskId' | 'deadlineMs'>);
}

/**
 * An app's (or one tool's) operations as LangChain.js structured tools (`tool_operation` names, the
 * generated JSON Schemas). `invoke` runs the full pipeline (cache, validation, policies, metrics) with the
 * run's `signal`; a failure is thrown as a `ToolCallFailure` whose message is the model-facing
 * explanation (LangGraph's ToolNode hands it to the model as the tool message). LangChain checks the input
 * against the schema first, so input the schema refuses is refused by LangChain's own
 * `ToolInputParsingException` (with the failing keyword locations) before the pipeline sees it.
 *
 * @example
 * ```ts
 * const tools = langChainTools(app, { context: (config) => ({ userId: config?.configurable?.userId }) });
 * const agent = createAgent({ model, tools });
 * ```
 */
export function langChainTools(origin: ToolOrigin, options: LangChainToolsOptions = {}): DynamicStructuredTool[] {
  const faces = toolFaces(origin, 'openai', options);
  const contextOf = typeof options.context === 'function' ? options.context : () => (options.context as CallOptions | undefined) ?? {};
  return faces.tools.map(
    (face) =>
      new DynamicStructuredTool({
        name: face.name,
        description: face.description,
        // A copy: the generated schema is frozen, and LangChain's validator (@cfworker/json-schema) annotates the schema it gets.
        schema: structuredClone(face.inputSchema) as Record<string, unknown>,
        // LangChain validates the input against the schema before the function runs: say where it failed.
        verboseParsingErrors: true,
        func: async (input: unknown, _runManager?: unknown, config?: ToolRunnableConfig) => {
          const outcome = await runToolCall(faces, face.name, input, { ...contextOf(config), signal: config?.signal });
          if (outcome.isError) throw new ToolCallFailure(outcome.failure);
          return outcome.text;
        },
      }),
  );
}
