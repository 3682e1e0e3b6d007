/**
 * Stateless Streamable HTTP (`serveHttp(app, { stateless: true })`) with the SDK's real client: no
 * session, a fresh MCP server per request, and the caller known only through `authInfo`.
 */
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { serveHttp, type HttpMcpServer } from '../src';
import { createSampleApp } from '../../tool-definitions/test/sampleApp';
import { counters, expectAbortOnRequestClose, expectProgress, newClient, textOf } from './mcpScenarios';
import { probeTools } from './probeTool';

describe('MCP over stateless Streamable HTTP (the SDK’s client)', () => {
  const { app } = createSampleApp(probeTools);
  let mapped: HttpMcpServer;
  let anonymous: HttpMcpServer;
  beforeAll(async () => {
    // Users are told apart by their bearer token's principal: the app maps authInfo to a user.
    mapped = await serveHttp(app, {
      stateless: true,
      authenticate: (request) => ({ token: 't', clientId: String(request.headers['x-user'] ?? 'nobody'), scopes: [] }),
      identify: ({ authInfo }) => ({ userId: `user:${authInfo!.clientId}` }),
    });
    // No authentication, no mapping: every call is its own caller.
    anonymous = await serveHttp(app, { stateless: true });
  });
  afterAll(async () => {
    await Promise.all([mapped.close(), anonymous.close()]);
    await app.close();
  });

  async function connect(server: HttpMcpServer, user?: string) {
    const transport = new StreamableHTTPClientTransport(
      new URL(server.url),
      user ? { requestInit: { headers: { 'x-user': user } } } : undefined,
    );
    const client = newClient();
    await client.connect(transport);
    return { client, transport, close: () => client.close() };
  }

  it('listens on 127.0.0.1, lists and calls tools, and keeps no session', async () => {
    expect(mapped.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const { client, transport, close } = await connect(mapped, 'ann');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['calc.sum', 'calc.wait', 'journal.append']));
    const result = await client.callTool({ name: 'calc.sum', arguments: { values: [2, 3] } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ total: 5 });
    expect(transport.sessionId).toBeUndefined();
    expect(mapped.sessionCount()).toBe(0);
    await close();
  });

  it('answers a validation failure as an isError result naming each field', async () => {
    const { client, close } = await connect(mapped, 'ann');
    const result = await client.callTool({ name: 'calc.wait', arguments: { ms: 0, steps: 'many' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('- ms: expected ms must not be less than 1; received 0');
    expect(textOf(result)).toMatch(/- steps: expected .*; received "many"/);
    await close();
  });

  it('keeps two clients apart by their auth identity; one identity shares its cache across requests and clients', async () => {
    const ann = await connect(mapped, 'ann');
    const ann2 = await connect(mapped, 'ann');
    const bob = await connect(mapped, 'bob');
    const args = { name: 'calc.sum', arguments: { values: [7, 7], label: 'stateless-isolation' } };
    const before = (await counters(ann.client)).sumRuns;
    for (const c of [ann, ann2, ann, bob, bob])
      expect((await c.client.callTool(args)).structuredContent).toEqual({ total: 14, label: 'stateless-isolation' });
    const runs = (await counters(ann.client)).sumRuns;
    expect(runs['user:ann']! - (before['user:ann'] ?? 0)).toBe(1);
    expect(runs['user:bob']! - (before['user:bob'] ?? 0)).toBe(1);
    await Promise.all([ann.close(), ann2.close(), bob.close()]);
  });

  it('without an identity mapping, no two calls share a cache entry (each call is its own caller)', async () => {
    const { client, close } = await connect(anonymous);
    const args = { name: 'calc.sum', arguments: { values: [9], label: 'stateless-anonymous' } };
    const anonymousCallers = async () => Object.entries((await counters(client)).sumRuns).filter(([u]) => u.startsWith('mcp-session:'));
    const before = (await anonymousCallers()).length;
    await client.callTool(args);
    await client.callTool(args);
    const after = await anonymousCallers();
    expect(after.length - before).toBe(2); // two callers, one run each: the second call was not served from the first's entry
    expect(after.every(([, runs]) => runs === 1)).toBe(true);
    await close();
  });

  it('sends progress notifications on the request’s own response when the client asks for them', async () => {
    const { client, close } = await connect(mapped, 'ann');
    await expectProgress(client);
    await close();
  });

  // A 2025-era client cancels with notifications/cancelled, which a stateless server cannot route (no
  // session: it reaches a fresh server). What reaches the call is its HTTP request closing.
  it('aborts the operation’s signal when its HTTP request is closed before the answer', async () => {
    const { client, close } = await connect(mapped, 'ann');
    await expectAbortOnRequestClose(mapped.url, { 'mcp-protocol-version': '2025-11-25', 'x-user': 'ann' }, client);
    await close();
  });

  it('passes the JSON-RPC request id on as the call’s toolCallId', async () => {
    const { client, close } = await connect(mapped, 'ann');
    const result = await client.callTool({ name: 'probe.whoami', arguments: {} });
    expect(result.structuredContent).toMatchObject({ userId: 'user:ann', toolCallId: expect.stringMatching(/^\d+$/) });
    await close();
  });
});
