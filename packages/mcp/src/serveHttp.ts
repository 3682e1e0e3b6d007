import type { ToolOrigin } from '@aiecs/tool-definitions';
import {
  localhostHostValidation,
  localhostOriginValidation,
  NodeStreamableHTTPServerTransport,
  toNodeHandler,
} from '@modelcontextprotocol/node';
import { createMcpHandler, isInitializeRequest, type AuthInfo, type RequestId } from '@modelcontextprotocol/server';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpServer } from './createMcpServer';
import { RequestAborts } from './requestAborts';
import { mcpToolSet, type McpServeOptions, type McpToolSet } from './toolSet';

/** Options of `serveHttp`. */
export interface HttpServeOptions extends McpServeOptions {
  /** Port; default `0` (a free one; read it from `url`). */
  readonly port?: number;
  /** Interface to bind; default `127.0.0.1`. Another host turns off the localhost Host/Origin checks. */
  readonly host?: string;
  /** Endpoint path; default `/mcp`. */
  readonly path?: string;
  /**
   * Verifies a request (a bearer token, say) and returns what the identity hook receives as `authInfo`;
   * `undefined` refuses the request with 401. Without it every request is accepted.
   */
  readonly authenticate?: (request: IncomingMessage) => AuthInfo | undefined | Promise<AuthInfo | undefined>;
  /** Largest request body, in bytes; default 4 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * Serve without sessions (default `false`): no `Mcp-Session-Id`, a fresh MCP server per request
   * (the SDK's `createMcpHandler`: the 2026-07-28 per-request protocol, and 2025-era clients answered
   * statelessly), so any instance behind a load balancer can answer any request. There is no session
   * to identify a caller by: each call is its own session (`McpSession.stateless`), and only
   * `identify` mapping `authenticate`'s `authInfo` to a user lets calls share cache entries. Without
   * that mapping no two calls share one, so anonymous callers never see each other's results.
   */
  readonly stateless?: boolean;
}

/** A running Streamable HTTP server. */
export interface HttpMcpServer {
  /** `http://host:port/path`. */
  readonly url: string;
  readonly port: number;
  /** Sessions open now (always 0 when stateless). */
  sessionCount(): number;
  /** Closes every session (in-flight calls are aborted) and the listener. The app stays open: its creator closes it. */
  close(): Promise<void>;
}

type Body = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly status: number; readonly message: string };

function readBody(request: IncomingMessage, maxBytes: number): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        resolve({ ok: false, status: 413, message: `request body larger than ${maxBytes} bytes` });
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('error', () => resolve({ ok: false, status: 400, message: 'request body could not be read' }));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve({ ok: true, value: text === '' ? undefined : JSON.parse(text) });
      } catch {
        resolve({ ok: false, status: 400, message: 'request body is not JSON' });
      }
    });
  });
}

function refuse(response: ServerResponse, status: number, code: number, message: string): void {
  if (response.headersSent) return void response.end();
  response
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/** The ids of the `tools/call` requests in a POST body (one message or a batch). */
function toolCallIds(body: unknown): RequestId[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages
    .filter(
      (m): m is { method: string; id: RequestId } =>
        typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'tools/call' && 'id' in m,
    )
    .map((m) => m.id);
}

/**
 * Serves an app's tools over Streamable HTTP, bound to 127.0.0.1 by default (with the SDK's localhost
 * Host and Origin checks against DNS rebinding). Each client session (`Mcp-Session-Id`) gets its own
 * MCP server; its id is the session's identity unless `identify` maps it (with `authenticate`'s
 * `authInfo`). A call is aborted by `notifications/cancelled`, by its session closing, or by its HTTP
 * request's connection closing before the answer. With `stateless: true` there are no sessions (see
 * `HttpServeOptions.stateless`).
 *
 * @example
 * ```ts
 * const server = await serveHttp(app, { port: 3000 });
 * console.error(`MCP on ${server.url}`);
 * // Behind a load balancer: no sessions, the caller is who the bearer token says.
 * await serveHttp(app, { stateless: true, authenticate: verifyBearer, identify: ({ authInfo }) => ({ userId: authInfo?.extra?.sub as string }) });
 * ```
 */
export async function serveHttp(origin: ToolOrigin | McpToolSet, options: HttpServeOptions = {}): Promise<HttpMcpServer> {
  const tools = mcpToolSet(origin, options);
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/mcp';
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const local = host === '127.0.0.1' || host === 'localhost' || host === '::1';
  const validateHost = local ? localhostHostValidation() : undefined;
  const validateOrigin = local ? localhostOriginValidation() : undefined;
  const sessions = new Map<string, NodeStreamableHTTPServerTransport>();
  const aborts = new RequestAborts();
  // Stateless: one MCP server per request; the request's own connection is its lifetime.
  const statelessHandler = options.stateless
    ? createMcpHandler(() => createMcpServer(tools, undefined, { transport: 'http', stateless: true }))
    : undefined;
  const serveStateless = statelessHandler ? toNodeHandler(statelessHandler, { maxRequestBodySize: maxBodyBytes }) : undefined;

  async function openSession(): Promise<NodeStreamableHTTPServerTransport> {
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await createMcpServer(tools, undefined, { transport: 'http', aborts }).connect(transport);
    return transport;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if ((validateHost && !validateHost(request, response)) || (validateOrigin && !validateOrigin(request, response))) return;
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path)
      return refuse(response, 404, -32000, `not found: the MCP endpoint is ${path}`);
    if (options.authenticate !== undefined) {
      const authInfo = await options.authenticate(request);
      if (authInfo === undefined) return refuse(response, 401, -32001, 'unauthorized');
      (request as IncomingMessage & { auth?: AuthInfo }).auth = authInfo;
    }
    const body = request.method === 'POST' ? await readBody(request, maxBodyBytes) : ({ ok: true, value: undefined } as const);
    if (!body.ok) return refuse(response, body.status, -32700, body.message);
    if (serveStateless !== undefined) return serveStateless(request, response, body.value);
    const sessionHeader = request.headers['mcp-session-id'];
    const sessionId = typeof sessionHeader === 'string' ? sessionHeader : undefined;
    let transport = sessionId === undefined ? undefined : sessions.get(sessionId);
    if (transport === undefined) {
      if (sessionId !== undefined) return refuse(response, 404, -32001, 'session not found: start a new session');
      if (request.method !== 'POST' || !isInitializeRequest(body.value))
        return refuse(response, 400, -32000, 'no session: send initialize first');
      transport = await openSession();
    }
    const ids = sessionId === undefined ? [] : toolCallIds(body.value);
    if (ids.length > 0)
      response.on('close', () => void (response.writableFinished ? aborts.forget(sessionId!, ids) : aborts.closed(sessionId!, ids)));
    await transport.handleRequest(request, response, body.value);
  }

  const listener = createServer((request, response) => {
    handle(request, response).catch(() => refuse(response, 500, -32603, 'internal error'));
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (listener.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
    port,
    sessionCount: () => sessions.size,
    close: async () => {
      await Promise.all([...sessions.values()].map((t) => t.close()));
      await statelessHandler?.close();
      listener.closeAllConnections();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
