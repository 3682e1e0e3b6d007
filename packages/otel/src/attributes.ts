/**
 * Attribute names. The `gen_ai.*` and `error.type` ones are OpenTelemetry's semantic conventions for GenAI
 * tool execution (the `execute_tool` span, status Development); `user.id` is the general registry's.
 * `aiecs.*` are this framework's own, for what the conventions do not name (cache, attempts, task).
 */
export const ATTR = {
  operationName: 'gen_ai.operation.name',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  toolCallId: 'gen_ai.tool.call.id',
  errorType: 'error.type',
  userId: 'user.id',
  taskId: 'aiecs.task.id',
  tool: 'aiecs.tool',
  operation: 'aiecs.operation',
  cacheOutcome: 'aiecs.cache.outcome',
  attempts: 'aiecs.attempts',
  attempt: 'aiecs.attempt',
  errorKind: 'aiecs.error.kind',
  fallback: 'aiecs.fallback',
} as const;

/** `gen_ai.operation.name` of a tool call. */
export const EXECUTE_TOOL = 'execute_tool';
