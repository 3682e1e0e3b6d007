import { InMemoryTransport } from '@modelcontextprotocol/server';
import { createMcpServer } from '../src';
import { createSampleApp } from '../../tool-definitions/test/sampleApp';
import { counters, mcpScenarios, newClient, textOf } from './mcpScenarios';
import { probeTools } from './probeTool';

/** Our server and the SDK's client over the SDK's in-memory transport (one process). */
describe('MCP over the SDK’s in-memory transport', () => {
  const { app } = createSampleApp(probeTools);
  afterAll(() => app.close());

  async function connect(identify?: Parameters<typeof createMcpServer>[1]) {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = createMcpServer(app, identify);
    await server.connect(serverSide);
    const client = newClient();
    await client.connect(clientSide);
    return {
      client,
      close: async () => {
        await client.close();
        await server.close();
      },
    };
  }

  describe('the shared cases', () => mcpScenarios(() => connect()));
  describe('the shared cases, every call through the SDK’s request handling', () => mcpScenarios(() => connect({ fastToolCalls: false })));

  it('keeps two sessions’ cache entries apart, unless identify maps them to one user', async () => {
    const a = await connect();
    const b = await connect();
    const args = { name: 'calc.sum', arguments: { values: [40, 2], label: 'isolation' } };
    const before = (await counters(a.client)).sumRuns;
    await a.client.callTool(args);
    await a.client.callTool(args); // a hit: same session
    await b.client.callTool(args); // a miss: another session
    const after = (await counters(a.client)).sumRuns;
    const newUsers = Object.keys(after).filter((user) => !(user in before));
    expect(newUsers).toHaveLength(2);
    expect(newUsers.map((user) => after[user])).toEqual([1, 1]);
    expect(newUsers.every((user) => user.startsWith('mcp-session:'))).toBe(true);
    await Promise.all([a.close(), b.close()]);

    const sameUser = { identify: () => ({ userId: 'alice' }) };
    const c = await connect(sameUser);
    const d = await connect(sameUser);
    await c.client.callTool(args);
    await d.client.callTool(args); // a hit: mapped to one user
    expect((await counters(c.client)).sumRuns.alice).toBe(1);
    await Promise.all([c.close(), d.close()]);
  });

  it('answers an unknown tool, an open circuit and a full bulkhead as isError results', async () => {
    const { client, close } = await connect();
    const unknown = await client.callTool({ name: 'calc.divide', arguments: {} });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toContain('UNKNOWN_OPERATION');
    await client.callTool({ name: 'fragile.broken', arguments: {} });
    const open = await client.callTool({ name: 'fragile.broken', arguments: {} });
    expect(textOf(open)).toContain('circuit breaker is open and the call was not attempted. Try again in 30 s at the latest.');
    const [, full] = await Promise.all([
      client.callTool({ name: 'fragile.narrow', arguments: {} }),
      client.callTool({ name: 'fragile.narrow', arguments: {} }),
    ]);
    expect(full.isError).toBe(true);
    expect(textOf(full)).toContain('is busy');
    await close();
  });
});
