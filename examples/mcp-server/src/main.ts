import { serveHttp, serveStdio } from '@aiecs/mcp';
import { parseArguments } from './arguments';
import { createServerApp } from './serverApp';

/** `npm run start -w @aiecs/example-mcp-server [-- --http PORT [--stateless]] [-- --root DIR]`: logs go to stderr, stdout is MCP's. */
async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2), process.cwd());
  const app = createServerApp(args.root);
  let server: { close(): Promise<void> };
  if (args.http === undefined) {
    server = await serveStdio(app);
    console.error(`aiecs MCP server on stdio (files under ${args.root})`);
  } else {
    const http = await serveHttp(app, { port: args.http, stateless: args.stateless === true });
    server = http;
    console.error(`aiecs MCP server listening on ${http.url}${args.stateless ? ' (stateless)' : ''} (files under ${args.root})`);
  }
  const stop = async () => {
    await server.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  if (args.http === undefined) process.stdin.once('end', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
