export { createMcpServer, type McpConnection } from './createMcpServer';
export { serveStdio, type StdioMcpServer, type StdioServeOptions } from './serveStdio';
export { serveHttp, type HttpMcpServer, type HttpServeOptions } from './serveHttp';
export { mcpToolSet, type McpServeOptions, type McpToolSet } from './toolSet';
export { callerOf, defaultCaller, type IdentifyCaller, type McpCaller, type McpSession } from './identity';
export { annotationsOf, listedTools } from './listTools';
export { progressSender, type ProgressSender } from './progressSender';
export { RequestAborts, type CallAbort } from './requestAborts';
