import { modelFailure, prepareToolCall, type PreparedToolCall, type ToolCallOutcome, type ToolOrigin } from '@aiecs/tool-definitions';
import type { CallToolResult, RequestId, Server, ServerContext } from '@modelcontextprotocol/server';
import { randomUUID } from 'node:crypto';
import { callerOf, type McpCaller, type McpSession } from './identity';
import type { PlainToolCall } from './plainToolCall';
import { PreparedCalls } from './PreparedCalls';
import { progressSender, type ProgressSender } from './progressSender';
import type { CallAbort, RequestAborts } from './requestAborts';
import { ToolCallServer, type ArrivedOn } from './ToolCallServer';
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

/** What one connection's calls share: its tools, how it is reached, its callers, the calls prepared ahead. */
interface ConnectionState {
  readonly tools: McpToolSet;
  readonly connection: McpConnection;
  /** A stdio connection has no session id of its own: one random id per server (per connection). */
  readonly connectionId: string;
  readonly memo: CallerMemo;
  readonly prepared: PreparedCalls;
}

function sessionCaller(state: ConnectionState, arrivedOn: ArrivedOn): McpCaller {
  const { connection, memo } = state;
  // Stateless: no session to remember a caller by; each call is its own session unless the hook maps authInfo.
  const sessionId = connection.stateless ? randomUUID() : (arrivedOn.sessionId ?? state.connectionId);
  const authInfo = arrivedOn.authInfo;
  if (memo.caller !== undefined && memo.sessionId === sessionId && memo.authInfo === authInfo) return memo.caller;
  const session: McpSession = {
    transport: connection.transport,
    sessionId,
    ...(connection.stateless ? { stateless: true } : {}),
    ...(authInfo ? { authInfo } : {}),
  };
  const caller = callerOf(session, state.tools.options.identify);
  Object.assign(memo, { sessionId, authInfo, caller });
  return caller;
}

/** The call a request asks for, its caller fixed (throws when the app's identity hook throws). */
function prepareCall(
  state: ConnectionState,
  name: string,
  args: unknown,
  id: RequestId,
  arrivedOn: ArrivedOn,
): PreparedToolCall<CallToolResult> {
  const caller = sessionCaller(state, arrivedOn);
  // The JSON-RPC id names the call for events and traces (the client picks it; never part of the cache key).
  const options = { userId: caller.userId, taskId: caller.taskId, toolCallId: String(id) };
  return prepareToolCall(state.tools.faces, name, args ?? {}, options, asResult);
}

/**
 * Answers a plain `tools/call` from the cache before the SDK sees it; on a miss, keeps the prepared
 * call for the SDK's handler of the same request (which makes it with the request's signal).
 */
function answerAhead(state: ConnectionState, call: PlainToolCall, arrivedOn: ArrivedOn): Promise<CallToolResult> | undefined {
  let prepared: PreparedToolCall<CallToolResult>;
  try {
    prepared = prepareCall(state, call.name, call.args, call.id, arrivedOn);
  } catch {
    return undefined; // the identity hook threw: the SDK's path reports it as a result
  }
  const hit = prepared.fromCache();
  if (hit === undefined) state.prepared.keep(call.id, call.name, prepared);
  return hit;
}

/** Runs one `tools/call` through the full pipeline; every failure is a result with `isError: true`. */
function callTool(state: ConnectionState, name: string, args: unknown, ctx: ServerContext): Promise<CallToolResult> {
  let progress: ProgressSender | undefined;
  let closed: CallAbort | undefined;
  let answered: Promise<CallToolResult>;
  try {
    const request = ctx.mcpReq;
    const prepared =
      state.prepared.take(request.id, name) ??
      prepareCall(state, name, args, request.id, { sessionId: ctx.sessionId, authInfo: ctx.http?.authInfo });
    const token = request._meta?.progressToken;
    progress = token === undefined ? undefined : progressSender(ctx, token);
    closed = state.connection.aborts?.open(ctx.sessionId ?? state.connectionId, request.id);
    const signal = closed === undefined ? request.signal : AbortSignal.any([request.signal, closed.signal]);
    answered = prepared.run({ signal, onProgress: progress?.onProgress });
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
 * a progress listener when the client sent a `progressToken`. A call the in-memory cache answers is
 * answered before the SDK's request handling (see `ToolCallServer`; `answerHitsAhead: false` turns
 * that off).
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
  const state: ConnectionState = { tools, connection, connectionId: randomUUID(), memo: {}, prepared: new PreparedCalls() };
  const ahead =
    tools.options.answerHitsAhead === false
      ? undefined
      : (call: PlainToolCall, arrivedOn: ArrivedOn) => answerAhead(state, call, arrivedOn);
  const server = new ToolCallServer(
    { name: tools.options.name ?? 'aiecs', version: tools.options.version ?? '0.1.0' },
    { capabilities: { tools: {} } },
    ahead,
  );
  server.setRequestHandler('tools/list', () => ({ tools: [...tools.listed] }));
  server.setRequestHandler('tools/call', (request, ctx) => callTool(state, request.params.name, request.params.arguments, ctx));
  return server;
}
