import { toolFaces, type ToolFaceOptions, type ToolFaces, type ToolOrigin } from '@aiecs/tool-definitions';
import type { Tool } from '@modelcontextprotocol/server';
import type { IdentifyCaller } from './identity';
import { listedTools } from './listTools';

/** Options of `createMcpServer`, `serveStdio` and `serveHttp`. */
export interface McpServeOptions extends ToolFaceOptions {
  /** Server name in the MCP handshake; default `aiecs`. */
  readonly name?: string;
  /** Server version in the MCP handshake; default `0.1.0`. */
  readonly version?: string;
  /** Maps a session to the caller's user and task ids (see `IdentifyCaller`); default: one user per session. */
  readonly identify?: IdentifyCaller;
  /**
   * Serve plain 2025-era `tools/call` requests without the SDK's request dispatch (default `true`; see
   * `ToolCallServer`): the same results, cancellation and progress, a cache hit ~2× faster and a miss
   * ~1.5× faster. `false` sends every request through the SDK.
   */
  readonly fastToolCalls?: boolean;
}

/** What every session of one served app shares: the faces and the `tools/list` answer, computed once. */
export interface McpToolSet {
  readonly faces: ToolFaces;
  readonly listed: readonly Tool[];
  readonly options: McpServeOptions;
}

/** Prepares an app's (or one tool's) tools for MCP: names (`tool.operation` by default), schemas and annotations, once. */
export function mcpToolSet(origin: ToolOrigin | McpToolSet, options: McpServeOptions = {}): McpToolSet {
  if (isToolSet(origin)) return origin;
  const faces = toolFaces(origin, 'mcp', options);
  return Object.freeze({ faces, listed: Object.freeze(listedTools(faces.tools)), options });
}

function isToolSet(value: unknown): value is McpToolSet {
  return typeof value === 'object' && value !== null && 'faces' in value && 'listed' in value;
}
