import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { serveHttp, type HttpMcpServer } from '../src';
import { createSampleApp } from '../../tool-definitions/test/sampleApp';
import { counters, expectAbortOnRequestClose, mcpScenarios, newClient } from './mcpScenarios';
import { probeTools } from './probeTool';

describe('MCP over Streamable HTTP on 127.0.0.1 (the SDK’s client)', () => {
  const { app } = createSampleApp(probeTools);
  let server: HttpMcpServer;
  beforeAll(async () => {
    server = await serveHttp(app, {
      authenticate: (request) => ({ token: 't', clientId: String(request.headers['x-user'] ?? 'nobody'), scopes: [] }),
      identify: ({ authInfo }) => (authInfo?.clientId === 'shared' ? { userId: 'shared-user' } : undefined),
    });
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  async function connect(user?: string) {
    const transport = new StreamableHTTPClientTransport(
      new URL(server.url),
      user ? { requestInit: { headers: { 'x-user': user } } } : undefined,
    );
    const client = newClient();
    await client.connect(transport);
    return {
      client,
      transport,
      close: async () => {
        await transport.terminateSession();
        await client.close();
      },
    };
  }

  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  describe('the shared cases', () => mcpScenarios(() => connect()));

  it('keeps two sessions’ cache entries apart; sessions the app maps to one user share them', async () => {
    const a = await connect();
    const b = await connect();
    expect(a.transport.sessionId).not.toBe(b.transport.sessionId);
    const args = { name: 'calc.sum', arguments: { values: [1, 1], label: 'http-isolation' } };
    await a.client.callTool(args);
    await a.client.callTool(args);
    await b.client.callTool(args);
    const runs = (await counters(a.client)).sumRuns;
    expect(runs[`mcp-session:${a.transport.sessionId}`]).toBe(1);
    expect(runs[`mcp-session:${b.transport.sessionId}`]).toBe(1);

    const c = await connect('shared');
    const d = await connect('shared');
    await c.client.callTool(args);
    await d.client.callTool(args);
    expect((await counters(c.client)).sumRuns['shared-user']).toBe(1);
    await Promise.all([a.close(), b.close(), c.close(), d.close()]);
    expect(server.sessionCount()).toBe(0);
  });

  it('aborts the call when its HTTP request is closed before the answer', async () => {
    const { client, transport, close } = await connect();
    const headers = { 'mcp-session-id': transport.sessionId!, 'mcp-protocol-version': transport.protocolVersion ?? '2025-11-25' };
    await expectAbortOnRequestClose(server.url, headers, client);
    await close();
  });

  it('refuses a request without a session, and an unknown session', async () => {
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    expect((await fetch(server.url, { method: 'POST', headers, body: JSON.stringify(call) })).status).toBe(400);
    expect(
      (await fetch(server.url, { method: 'POST', headers: { ...headers, 'mcp-session-id': 'nope' }, body: JSON.stringify(call) })).status,
    ).toBe(404);
  });

  it('refuses a request its authenticate hook refuses with 401, before any session exists', async () => {
    const guarded = await serveHttp(app, {
      authenticate: (request) => (request.headers.authorization === 'Bearer ok' ? { token: 'ok', clientId: 'c', scopes: [] } : undefined),
    });
    try {
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const init = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      };
      expect((await fetch(guarded.url, { method: 'POST', headers, body: JSON.stringify(init) })).status).toBe(401);
      expect(guarded.sessionCount()).toBe(0);
      const client = newClient();
      const transport = new StreamableHTTPClientTransport(new URL(guarded.url), {
        requestInit: { headers: { authorization: 'Bearer ok' } },
      });
      await client.connect(transport);
      expect(guarded.sessionCount()).toBe(1);
      await transport.terminateSession();
      await client.close();
    } finally {
      await guarded.close();
    }
  });
});
