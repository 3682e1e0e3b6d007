import type { CallOptions } from '@aiecs/core';
import {
  runToolCall,
  toolFaces,
  ToolCallFailure,
  type ToolFace,
  type ToolFaceOptions,
  type ToolFaces,
  type ToolOrigin,
} from '@aiecs/tool-definitions';
import { ToolMessage } from '@langchain/core/messages';
import { DynamicStructuredTool, ToolInputParsingException, type ToolRunnableConfig } from '@langchain/core/tools';

/** Who calls (user and task ids for the cache, a deadline). */
type CallerContext = Pick<CallOptions, 'userId' | 'taskId' | 'deadlineMs'>;

/** Options of `langChainTools`. */
export interface LangChainToolsOptions extends ToolFaceOptions {
  /** Who calls (user and task ids for the cache): fixed, or from the run's config (`configurable`, `metadata`). */
  readonly context?: CallerContext | ((config: ToolRunnableConfig | undefined) => CallerContext);
}

/** The pipeline's options for one LangChain run: the caller, the run's signal, the model's tool call id. */
function callOptionsOf(
  context: (config: ToolRunnableConfig | undefined) => CallerContext,
  config: ToolRunnableConfig | undefined,
): CallOptions {
  const toolCallId = config?.toolCall?.id;
  return { ...context(config), signal: config?.signal, ...(typeof toolCallId === 'string' ? { toolCallId } : {}) };
}

/**
 * A structured tool whose every failure is the pipeline's. LangChain checks the input against the
 * JSON Schema before the function runs and throws its own `ToolInputParsingException` (JSON Schema
 * keyword locations, no advice); when it does, the input goes to the pipeline instead, whose
 * validation answers with the field-by-field explanation every other client gets (a `ToolCallFailure`).
 */
class PipelineStructuredTool extends DynamicStructuredTool {
  constructor(
    private readonly faces: ToolFaces,
    private readonly face: ToolFace,
    private readonly context: (config: ToolRunnableConfig | undefined) => CallerContext,
  ) {
    super({
      name: face.name,
      description: face.description,
      // A copy: the generated schema is frozen, and LangChain's validator (@cfworker/json-schema) annotates the schema it gets.
      schema: structuredClone(face.inputSchema) as Record<string, unknown>,
      func: async (input: unknown, _runManager?: unknown, config?: ToolRunnableConfig) => {
        const outcome = await runToolCall(faces, face.name, input, callOptionsOf(context, config));
        if (outcome.isError) throw new ToolCallFailure(outcome.failure);
        return outcome.text;
      },
    });
  }

  override async call(arg: unknown, configArg?: unknown, tags?: string[]): Promise<any> {
    try {
      return await super.call(arg as never, configArg as never, tags);
    } catch (error) {
      if (!(error instanceof ToolInputParsingException)) throw error;
      const config = typeof configArg === 'object' && configArg !== null ? (configArg as ToolRunnableConfig) : undefined;
      const outcome = await runToolCall(this.faces, this.face.name, arg, callOptionsOf(this.context, config));
      if (outcome.isError) throw new ToolCallFailure(outcome.failure);
      // The schema is stricter than the validator here (a format hint): the pipeline accepted and ran the call.
      const toolCallId = config?.toolCall?.id;
      return typeof toolCallId === 'string'
        ? new ToolMessage({ content: outcome.text, tool_call_id: toolCallId, name: this.name })
        : outcome.text;
    }
  }
}

/**
 * An app's (or one tool's) operations as LangChain.js structured tools (`tool_operation` names, the
 * generated JSON Schemas, which `bindTools` sends to the model). `invoke` runs the full pipeline (cache,
 * validation, policies, metrics) with the run's `signal` and, invoked with a model's `ToolCall`, its id as
 * `toolCallId`. A failure is thrown as a `ToolCallFailure` whose message is the model-facing explanation
 * (LangGraph's ToolNode hands it to the model as the tool message), the same text every other client
 * gets, also for input that LangChain's own schema check refuses (see `PipelineStructuredTool`).
 *
 * @example
 * ```ts
 * const tools = langChainTools(app, { context: (config) => ({ userId: config?.configurable?.userId }) });
 * const agent = createAgent({ model, tools });
 * ```
 */
export function langChainTools(origin: ToolOrigin, options: LangChainToolsOptions = {}): DynamicStructuredTool[] {
  const faces = toolFaces(origin, 'openai', options);
  const context = typeof options.context === 'function' ? options.context : () => (options.context as CallerContext | undefined) ?? {};
  return faces.tools.map((face) => new PipelineStructuredTool(faces, face, context));
}
