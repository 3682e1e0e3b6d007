import { modelFailure, runToolCall, type ToolCallOutcome, type ToolOrigin } from '@aiecs/tool-definitions';
import { Server, type CallToolResult, type ServerContext } from '@modelcontextprotocol/server';
import { randomUUID } from 'node:crypto';
import { callerOf, type McpCaller, type McpSession } from './identity';
import { progressSender, type ProgressSender } from './progressSender';
import type { CallAbort, RequestAborts } from './requestAborts';
import { mcpToolSet, type McpServeOptions, type McpToolSet } from './toolSet';

/** How the server is reached: what a session is made of. */
export interface McpConnection {
  readonly transport: 'stdio' | 'http';
  /** Calls a closed HTTP request aborts (HTTP only). */
  readonly aborts?: RequestAborts;
  /**
   * A stateless HTTP server (no `Mcp-Session-Id`): every call is its own session, with a fresh random
   * id, so only the identity hook's mapping of `authInfo` lets two requests share cache entries.
   */
  readonly stateless?: boolean;
}

function asResult(outcome: ToolCallOutcome): CallToolResult {
  const content: CallToolResult['content'] = [{ type: 'text', text: outcome.text }];
  if (outcome.isError) return { content, isError: true };
  const value = outcome.value;
  // Structured results also travel as structuredContent (the text block carries the same JSON).
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? { content, structuredContent: value as Record<string, unknown> }
    : { content };
}

/** The caller of the last session seen, kept while the session and its auth are the same (a connection has one). */
interface CallerMemo {
  sessionId?: string;
  authInfo?: unknown;
  caller?: McpCaller;
}

function sessionCaller(
  tools: McpToolSet,
  connection: McpConnection,
  connectionId: string,
  ctx: ServerContext,
  memo: CallerMemo,
): McpCaller {
  // Stateless: no session to remember a caller by; each call is its own session unless the hook maps authInfo.
  const sessionId = connection.stateless ? randomUUID() : (ctx.sessionId ?? connectionId);
  const authInfo = ctx.http?.authInfo;
  if (memo.caller !== undefined && memo.sessionId === sessionId && memo.authInfo === authInfo) return memo.caller;
  const session: McpSession = {
    transport: connection.transport,
    sessionId,
    ...(connection.stateless ? { stateless: true } : {}),
    ...(authInfo ? { authInfo } : {}),
  };
  const caller = callerOf(session, tools.options.identify);
  Object.assign(memo, { sessionId, authInfo, caller });
  return caller;
}

/** Runs one `tools/call` through the full pipeline; every failure is a result with `isError: true`. */
function callTool(
  tools: McpToolSet,
  connection: McpConnection,
  connectionId: string,
  memo: CallerMemo,
  name: string,
  args: unknown,
  ctx: ServerContext,
): Promise<CallToolResult> {
  let progress: ProgressSender | undefined;
  let closed: CallAbort | undefined;
  let answered: Promise<CallToolResult>;
  try {
    const caller = sessionCaller(tools, connection, connectionId, ctx, memo);
    const request = ctx.mcpReq;
    const token = request._meta?.progressToken;
    progress = token === undefined ? undefined : progressSender(ctx, token);
    closed = connection.aborts?.open(ctx.sessionId ?? connectionId, request.id);
    const signal = closed === undefined ? request.signal : AbortSignal.any([request.signal, closed.signal]);
    // The JSON-RPC id names the call for events and traces (the client picks it; never part of the cache key).
    const options = {
      userId: caller.userId,
      taskId: caller.taskId,
      signal,
      onProgress: progress?.onProgress,
      toolCallId: String(request.id),
    };
    answered = runToolCall(tools.faces, name, args ?? {}, options, undefined, asResult);
  } catch (error) {
    // The app's identity hook threw (or the request was malformed): a result the model can read.
    closed?.release();
    const failure = modelFailure(error);
    return Promise.resolve(asResult({ isError: true, failure, text: failure.text }));
  }
  // Chained, not awaited: most calls have neither progress to flush nor an HTTP request to forget.
  if (progress === undefined && closed === undefined) return answered;
  const sender = progress;
  const request = closed;
  return answered.finally(async () => {
    await sender?.finish();
    request?.release();
  });
}

/**
 * A low-level MCP `Server` for an app's (or one tool's) tools, to connect to any transport
 * (`serveStdio` and `serveHttp` use it; tests and benchmarks connect it to an `InMemoryTransport`).
 * `tools/list` answers the raw JSON Schemas generated from the operations' schemas and the side effects as
 * annotations; `tools/call` runs `app.run` with the session's identity, the request's abort signal and
 * a progress listener when the client sent a `progressToken`.
 *
 * @example
 * ```ts
 * const server = createMcpServer(app, { identify: ({ authInfo }) => ({ userId: authInfo?.clientId }) });
 * await server.connect(transport);
 * ```
 */
export function createMcpServer(
  origin: ToolOrigin | McpToolSet,
  options?: McpServeOptions,
  connection: McpConnection = { transport: 'stdio' },
): Server {
  const tools = mcpToolSet(origin, options);
  // A stdio connection has no session id of its own: one random id per server (per connection).
  const connectionId = randomUUID();
  const memo: CallerMemo = {};
  const server = new Server(
    { name: tools.options.name ?? 'aiecs', version: tools.options.version ?? '0.1.0' },
    { capabilities: { tools: {} } },
  );
  server.setRequestHandler('tools/list', () => ({ tools: [...tools.listed] }));
  server.setRequestHandler('tools/call', (request, ctx) =>
    callTool(tools, connection, connectionId, memo, request.params.name, request.params.arguments, ctx),
  );
  return server;
}
