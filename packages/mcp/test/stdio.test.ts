import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import path from 'node:path';
import { mcpScenarios, newClient } from './mcpScenarios';

const root = path.resolve(__dirname, '../../..');

/** The sample app in a child process speaking MCP over stdio (ts-node over the sources, as `npm run start` does). */
describe('MCP over stdio (a child process, the SDK’s client)', () => {
  jest.setTimeout(30_000);
  mcpScenarios(async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', path.join(__dirname, 'stdioServer.ts')],
      cwd: root,
      env: { ...(process.env as Record<string, string>), TS_NODE_PROJECT: path.join(root, 'tsconfig.json') },
      stderr: 'pipe',
    });
    const client = newClient();
    await client.connect(transport);
    const pid = transport.pid;
    return {
      client,
      close: async () => {
        await client.close();
        // The child exits when its stdin closes: no process is left behind.
        if (pid !== null && pid !== undefined) await waitForExit(pid);
      },
    };
  });
});

async function waitForExit(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`child ${pid} is still running`);
}
