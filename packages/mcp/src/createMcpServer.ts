import { modelFailure, prepareToolCall, type ToolCallOutcome, type ToolOrigin } from '@aiecs/tool-definitions';
import type { CallToolResult, ProgressToken, RequestId, Server, ServerContext } from '@modelcontextprotocol/server';
import { randomUUID } from 'node:crypto';
import { callerOf, type McpCaller, type McpSession } from './identity';
import type { PlainToolCall } from './plainToolCall';
import { progressSender, type ProgressSender } from './progressSender';
import type { CallAbort, RequestAborts } from './requestAborts';
import { ToolCallServer, type ArrivedOn, type RunningCall } from './ToolCallServer';
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

/** What one connection's calls share: its tools, how it is reached, its callers. */
interface ConnectionState {
  readonly tools: McpToolSet;
  readonly connection: McpConnection;
  /** A stdio connection has no session id of its own: one random id per server (per connection). */
  readonly connectionId: string;
  readonly memo: CallerMemo;
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

/** A failure before the call could be made (the app's identity hook threw): a result the model can read. */
function failedResult(error: unknown): Promise<CallToolResult> {
  const failure = modelFailure(error);
  return Promise.resolve(asResult({ isError: true, failure, text: failure.text }));
}

/** The request's context, as a running call needs it: its abort signal and how to notify the client. */
interface RequestContext {
  readonly id: RequestId;
  readonly progressToken: ProgressToken | undefined;
  readonly running: () => RunningCall;
}

/**
 * Makes one `tools/call` through the full pipeline; every failure is a result with `isError: true`. A
 * cache hit is answered from the prepared call at once, without a signal or notifier; anything else
 * runs with the request's signal (and, on HTTP, the request's connection), and progress when asked for.
 */
function callTool(
  state: ConnectionState,
  name: string,
  args: unknown,
  arrivedOn: ArrivedOn,
  request: RequestContext,
): Promise<CallToolResult> {
  let progress: ProgressSender | undefined;
  let closed: CallAbort | undefined;
  let answered: Promise<CallToolResult>;
  try {
    const caller = sessionCaller(state, arrivedOn);
    // The JSON-RPC id names the call for events and traces (the client picks it; never part of the cache key).
    const options = { userId: caller.userId, taskId: caller.taskId, toolCallId: String(request.id) };
    const prepared = prepareToolCall(state.tools.faces, name, args ?? {}, options, asResult);
    const hit = prepared.fromCache();
    if (hit !== undefined) return hit;
    const { signal: requestSignal, notify } = request.running();
    progress = request.progressToken === undefined ? undefined : progressSender(notify, request.progressToken);
    closed = state.connection.aborts?.open(arrivedOn.sessionId ?? state.connectionId, request.id);
    const signal = closed === undefined ? requestSignal : AbortSignal.any([requestSignal, closed.signal]);
    answered = prepared.run({ signal, onProgress: progress?.onProgress });
  } catch (error) {
    closed?.release();
    return failedResult(error);
  }
  // Chained, not awaited: most calls have neither progress to flush nor an HTTP request to forget.
  if (progress === undefined && closed === undefined) return answered;
  const sender = progress;
  const connection = closed;
  return answered.finally(async () => {
    await sender?.finish();
    connection?.release();
  });
}

/** A plain `tools/call`, served by `ToolCallServer` ahead of the SDK. */
function serveAhead(
  state: ConnectionState,
  call: PlainToolCall,
  arrivedOn: ArrivedOn,
  running: () => RunningCall,
): Promise<CallToolResult> {
  return callTool(state, call.name, call.args, arrivedOn, { id: call.id, progressToken: call.progressToken, running });
}

/** A `tools/call` the SDK handled (another shape, a 2026-era request, or `fastToolCalls: false`). */
function serveThroughSdk(state: ConnectionState, name: string, args: unknown, ctx: ServerContext): Promise<CallToolResult> {
  const request = ctx.mcpReq;
  const running = (): RunningCall => ({ signal: request.signal, notify: (notification) => request.notify(notification) });
  const arrivedOn = { sessionId: ctx.sessionId, authInfo: ctx.http?.authInfo };
  return callTool(state, name, args, arrivedOn, {
    id: request.id,
    progressToken: request._meta?.progressToken,
    running,
  });
}

/**
 * A low-level MCP `Server` for an app's (or one tool's) tools, to connect to any transport
 * (`serveStdio` and `serveHttp` use it; tests and benchmarks connect it to an `InMemoryTransport`).
 * `tools/list` answers the raw JSON Schemas generated from the operations' schemas and the side effects as
 * annotations; `tools/call` runs `app.run` with the session's identity, the request's abort signal and
 * a progress listener when the client sent a `progressToken`. A plain 2025-era `tools/call` is served
 * without the SDK's request dispatch (see `ToolCallServer`; `fastToolCalls: false` turns that off), and a
 * cache hit of the in-memory store is answered before anything else is made for the call.
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
  const state: ConnectionState = { tools, connection, connectionId: randomUUID(), memo: {} };
  const serve =
    tools.options.fastToolCalls === false
      ? undefined
      : (call: PlainToolCall, arrivedOn: ArrivedOn, running: () => RunningCall) => serveAhead(state, call, arrivedOn, running);
  const server = new ToolCallServer(
    { name: tools.options.name ?? 'aiecs', version: tools.options.version ?? '0.1.0' },
    { capabilities: { tools: {} } },
    serve,
  );
  server.setRequestHandler('tools/list', () => ({ tools: [...tools.listed] }));
  server.setRequestHandler('tools/call', (request, ctx) => serveThroughSdk(state, request.params.name, request.params.arguments, ctx));
  return server;
}
