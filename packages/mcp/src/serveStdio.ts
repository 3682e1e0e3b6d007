import type { ToolOrigin } from '@aiecs/tool-definitions';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { Readable, Writable } from 'node:stream';
import { createMcpServer } from './createMcpServer';
import type { McpServeOptions, McpToolSet } from './toolSet';

/** A running stdio server. */
export interface StdioMcpServer {
  /** Closes the MCP connection (in-flight calls are aborted); the app stays open: its creator closes it. */
  close(): Promise<void>;
}

/** Options of `serveStdio`: streams default to the process's stdin and stdout. */
export interface StdioServeOptions extends McpServeOptions {
  readonly stdin?: Readable;
  readonly stdout?: Writable;
}

/**
 * Serves an app's tools over stdio (what MCP hosts that launch the server as a child process speak).
 * The session is the connection: its user id is one random id per process unless `identify` maps it.
 * Log to stderr, never stdout: stdout carries the protocol.
 *
 * @example
 * ```ts
 * await using app = createApp({ tools: [FileTool] });
 * const server = await serveStdio(app);
 * process.on('SIGTERM', () => void server.close());
 * ```
 */
export async function serveStdio(origin: ToolOrigin | McpToolSet, options: StdioServeOptions = {}): Promise<StdioMcpServer> {
  const server = createMcpServer(origin, options, { transport: 'stdio' });
  const transport = new StdioServerTransport(options.stdin, options.stdout);
  await server.connect(transport);
  return { close: () => server.close() };
}
