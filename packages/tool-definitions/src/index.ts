export { toolSource, type ToolOrigin, type ToolSource } from './toolSource';
export { toolNames, TOOL_NAME_RULES, DEFAULT_SEPARATORS, type NamingTarget } from './toolNames';
export { inputSchemaOf, type JsonObjectSchema } from './inputSchema';
export { toolFaces, type ToolFace, type ToolFaceOptions, type ToolFaces } from './toolFaces';
export { modelFailure, type ModelFailure, type FieldProblem } from './modelFailure';
export { runToolCall, prepareToolCall, resultText, type PreparedToolCall, type ToolCallOutcome } from './runToolCall';
export {
  openAIFunctions,
  type OpenAIFunctions,
  type OpenAIFunctionsOptions,
  type OpenAIStrictness,
  type OpenAIChatTool,
  type OpenAIResponsesTool,
  type OpenAIFunctionCall,
  type OpenAIFunctionAnswer,
} from './openai';
export { anthropicTools, type AnthropicTools, type AnthropicTool, type AnthropicToolUse, type AnthropicToolAnswer } from './anthropic';
export { ToolCallFailure } from './toolCallFailure';
export { openAIStrictSchema, type StrictSchemaResult, type StrictSchemaWarning } from './strictSchema';
export { checkStrictLimits, STRICT_LIMITS } from './strictLimits';
export { optionalNullsRemover } from './optionalNulls';
