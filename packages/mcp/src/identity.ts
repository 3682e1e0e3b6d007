import type { AuthInfo } from '@modelcontextprotocol/server';

/** The MCP session a tool call arrives on: what the identity hook reads. */
export interface McpSession {
  /** `stdio` (one client per process) or `http` (Streamable HTTP, one session per `Mcp-Session-Id`). */
  readonly transport: 'stdio' | 'http';
  /**
   * The session's id: the HTTP transport's `Mcp-Session-Id`, a random id per stdio connection, or (a
   * stateless HTTP server) a random id per call. Never empty.
   */
  readonly sessionId: string;
  /** `true` on a stateless HTTP server: there is no session, `sessionId` is new for every call. */
  readonly stateless?: boolean;
  /** What the HTTP server's `authenticate` hook returned for the request, if any. */
  readonly authInfo?: AuthInfo;
}

/** Who a call is for, as the cache and the events see it. */
export interface McpCaller {
  readonly userId: string;
  readonly taskId?: string;
}

/**
 * The one hook that maps an MCP session to the caller's user and task ids (part of every cache key).
 * Return the same `userId` for two sessions only when they are the same user: their cached results
 * are then shared. `undefined` keeps the default.
 */
export type IdentifyCaller = (session: McpSession) => Partial<McpCaller> | undefined;

/**
 * By default every session is its own user (`mcp-session:<id>`): two sessions never share cache entries.
 * On a stateless server every call is its own session, so by default no two calls share one.
 */
export function defaultCaller(session: McpSession): McpCaller {
  return { userId: `mcp-session:${session.sessionId}` };
}

/** The caller of a session: the hook's answer over the default (a hook that throws or answers nothing keeps the default). */
export function callerOf(session: McpSession, identify: IdentifyCaller | undefined): McpCaller {
  const fallback = defaultCaller(session);
  if (identify === undefined) return fallback;
  const mapped = identify(session);
  const userId = typeof mapped?.userId === 'string' && mapped.userId !== '' ? mapped.userId : fallback.userId;
  return typeof mapped?.taskId === 'string' ? { userId, taskId: mapped.taskId } : { userId };
}
