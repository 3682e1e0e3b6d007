import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArguments } from '../src/arguments';

const root = path.resolve(__dirname, '../../..');
const main = path.join(__dirname, '../src/main.ts');
const nodeArgs = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', main];
const env = { ...(process.env as Record<string, string>), TS_NODE_PROJECT: path.join(root, 'tsconfig.json') };

function textOf(result: { content: { type: string; text?: string }[] }): string {
  return result.content.map((b) => b.text ?? '').join('\n');
}

/** End to end: the example server as `npm run start` runs it (ts-node over the sources), with the SDK's client. */
describe('examples/mcp-server', () => {
  jest.setTimeout(60_000);
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'aiecs-mcp-example-'));
    await writeFile(path.join(dir, 'numbers.txt'), '3 1 2\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves the example app’s tools over stdio', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [...nodeArgs, '--root', dir],
      cwd: root,
      env,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(
        expect.arrayContaining(['file.read', 'file.list', 'file.write', 'http.get', 'stats.summarize']),
      );
      expect(tools.find((t) => t.name === 'file.write')!.annotations).toMatchObject({ destructiveHint: true });
      const read = await client.callTool({ name: 'file.read', arguments: { path: 'numbers.txt' } });
      expect(textOf(read as never)).toBe('3 1 2\n');
      const stats = await client.callTool({ name: 'stats.summarize', arguments: { values: [3, 1, 2] } });
      expect(stats.structuredContent).toMatchObject({ count: 3, median: 2, min: 1, max: 3 });
      const escape = await client.callTool({ name: 'file.read', arguments: { path: '../outside.txt' } });
      expect(escape.isError).toBe(true);
      expect(textOf(escape as never)).toContain("field 'path' matched the security rule");
    } finally {
      await client.close();
    }
  });

  it('serves them over Streamable HTTP with --http PORT, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [...nodeArgs, '--http', '0', '--root', dir], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let seen = '';
        child.stderr!.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(seen);
          if (match) resolve(match[1]!);
        });
        child.once('exit', () => reject(new Error(`server exited: ${seen}`)));
      });
      const client = new Client({ name: 'e2e', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(url));
      await client.connect(transport);
      const stats = await client.callTool({ name: 'stats.summarize', arguments: { values: ['x'] } });
      expect(stats.isError).toBe(true);
      expect(textOf(stats as never)).toContain('- values: expected');
      await transport.terminateSession();
      await client.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a bad --http value, naming the flag', () => {
    expect(() => parseArguments(['--http', 'lots'], '/')).toThrow(/--http/);
    expect(parseArguments(['--http', '3000', '--root', '/data'], '/')).toEqual({ http: 3000, root: '/data' });
    expect(parseArguments([], '/cwd')).toEqual({ root: '/cwd' });
    expect(parseArguments(['--http', '0', '--stateless'], '/')).toEqual({ http: 0, stateless: true, root: '/' });
    expect(() => parseArguments(['--stateless'], '/')).toThrow(/--stateless/);
  });
});
