import { toolSource, type ToolSource } from '@aiecs/tool-definitions';
import { InMemoryTransport, Server, type JSONRPCMessage } from '@modelcontextprotocol/server';
import fc from 'fast-check';
import { createMcpServer } from '../src';
import { plainToolCall } from '../src/plainToolCall';
import { createSampleApp } from '../../tool-definitions/test/sampleApp';
import { newClient, until } from './mcpScenarios';

/** Plain `tools/call` requests are served without the SDK's request dispatch (`ToolCallServer`). */
describe('serving plain tools/call requests ahead of the SDK', () => {
  const { app, counters } = createSampleApp();
  afterAll(() => app.close());

  /** A server on `origin` and the SDK's client over the in-memory transport; `sent` records what the server sent. */
  async function connect(options: Parameters<typeof createMcpServer>[1] = {}, origin: ToolSource = toolSource(app)) {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const sent: JSONRPCMessage[] = [];
    const send = serverSide.send.bind(serverSide);
    serverSide.send = (message, sendOptions) => {
      sent.push(message);
      return send(message, sendOptions);
    };
    const server = createMcpServer(origin, options);
    await server.connect(serverSide);
    const client = newClient();
    await client.connect(clientSide);
    /** From now on a request that reaches the SDK's tools/call handler fails (so only answers ahead succeed). */
    const closeTheSdkPath = () =>
      server.setRequestHandler('tools/call', () => {
        throw new Error('reached the SDK handler');
      });
    return { client, server, sent, closeTheSdkPath, close: () => client.close() };
  }

  const sum = (label: string) => ({ name: 'calc.sum', arguments: { values: [20, 22], label } });
  const lastResult = (sent: JSONRPCMessage[]) => (sent.at(-1) as { result?: unknown }).result;

  it('serves plain calls without the SDK handler, hits and misses, with the results the SDK path sends', async () => {
    const ahead = await connect({ identify: () => ({ userId: 'ahead-user' }) });
    const sdkOnly = await connect({ identify: () => ({ userId: 'sdk-user' }), fastToolCalls: false });
    ahead.closeTheSdkPath();
    const miss = await ahead.client.callTool(sum('paths'));
    const missOnWire = lastResult(ahead.sent);
    const hit = await ahead.client.callTool(sum('paths'));
    expect(hit).toEqual(miss);
    expect(counters.sumRuns.get('ahead-user')).toBe(1);
    const sdkMiss = await sdkOnly.client.callTool(sum('paths'));
    expect(lastResult(sdkOnly.sent)).toEqual(missOnWire);
    expect(await sdkOnly.client.callTool(sum('paths'))).toEqual(sdkMiss);
    expect(sdkMiss).toEqual(miss);
    expect(counters.sumRuns.get('sdk-user')).toBe(1);
    // A failure too: the same isError result either way.
    const invalid = { name: 'calc.sum', arguments: { values: 'none' } };
    const aheadFailure = await ahead.client.callTool(invalid);
    expect(aheadFailure.isError).toBe(true);
    expect(await sdkOnly.client.callTool(invalid)).toEqual(aheadFailure);
    // With fastToolCalls: false every call reaches the SDK's handler.
    sdkOnly.closeTheSdkPath();
    await expect(sdkOnly.client.callTool(sum('paths'))).rejects.toThrow('reached the SDK handler');
    await Promise.all([ahead.close(), sdkOnly.close()]);
  });

  it('never answers one session from another’s entry: each session is its own user by default', async () => {
    const a = await connect();
    const b = await connect();
    const runs = () => [...counters.sumRuns.entries()].filter(([user]) => user.startsWith('mcp-session:')).reduce((n, [, r]) => n + r, 0);
    const before = runs();
    await a.client.callTool(sum('sessions'));
    await a.client.callTool(sum('sessions')); // a hit
    await b.client.callTool(sum('sessions')); // another session: a miss
    expect(runs()).toBe(before + 2);
    await Promise.all([a.close(), b.close()]);
  });

  it('leaves requests of other shapes to the SDK', async () => {
    const { client, closeTheSdkPath, close } = await connect();
    await client.callTool(sum('shapes'));
    closeTheSdkPath();
    expect((await client.callTool(sum('shapes'), { onprogress: () => undefined })).structuredContent).toEqual({
      total: 42,
      label: 'shapes',
    });
    // A task-augmented request is the SDK's to handle, cached or not.
    await expect(client.callTool({ ...sum('shapes'), task: { ttl: 1000 } } as never)).rejects.toThrow();
    await close();
  });

  it('sends no response for a cancelled call, and aborts the calls still running when the connection closes', async () => {
    const { client, sent, close } = await connect();
    const controller = new AbortController();
    const before = counters.waitAborts;
    const call = client.callTool(
      { name: 'calc.wait', arguments: { ms: 10_000, steps: 100 } },
      { signal: controller.signal, onprogress: () => controller.abort('stop') },
    );
    await expect(call).rejects.toThrow();
    await until(async () => counters.waitAborts === before + 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const responses = sent.filter((m) => 'result' in m || 'error' in m);
    const progressed = sent.filter((m) => 'method' in m && m.method === 'notifications/progress');
    expect(progressed.length).toBeGreaterThan(0);
    const waitId = (progressed[0] as unknown as { params: { progressToken: unknown } }).params.progressToken;
    expect(responses.some((m) => (m as { id: unknown }).id === waitId)).toBe(false);

    const running = client.callTool({ name: 'calc.wait', arguments: { ms: 10_000, steps: 100 } }, { onprogress: () => undefined });
    running.catch(() => undefined);
    await until(async () => sent.filter((m) => 'method' in m && m.method === 'notifications/progress').length > progressed.length);
    await close();
    await until(async () => counters.waitAborts === before + 2);
  });

  it('shows every message once to a handler set on the transport before connecting', async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const seen: string[] = [];
    serverSide.onmessage = (message) => void seen.push('method' in message ? message.method : 'response');
    const server = createMcpServer(app);
    await server.connect(serverSide);
    const client = newClient();
    await client.connect(clientSide);
    seen.length = 0;
    await client.callTool(sum('seen'));
    await client.callTool(sum('seen'));
    await client.listTools();
    expect(seen).toEqual(['tools/call', 'tools/call', 'tools/list']);
    await client.close();
  });

  it('accepts only requests the SDK’s own schema accepts', () => {
    class Probe extends Server {
      validate(message: unknown): boolean {
        return this._wireCodec().validateRequest('tools/call', message).ok;
      }
    }
    const sdk = new Probe({ name: 'probe', version: '1' }, { capabilities: { tools: {} } });
    const json = fc.jsonValue();
    /** Mostly `likely`, sometimes anything: most generated requests are near-plain, each part sometimes wrong. */
    const mostly = <T>(likely: fc.Arbitrary<T>, other: fc.Arbitrary<unknown>) =>
      fc.oneof({ arbitrary: likely, weight: 4 }, { arbitrary: other, weight: 1 });
    const id = mostly(fc.oneof(fc.string(), fc.integer()), fc.oneof(fc.double(), fc.constant(null), fc.boolean(), json));
    const params = fc.record(
      {
        name: mostly(fc.string(), json),
        arguments: mostly(fc.dictionary(fc.string(), json), json),
        _meta: mostly(fc.record({ progressToken: mostly(fc.oneof(fc.string(), fc.integer()), json) }, { requiredKeys: [] }), json),
        task: json,
      },
      { requiredKeys: [] },
    );
    const message = fc.record(
      { jsonrpc: mostly(fc.constant('2.0'), fc.string()), id, method: mostly(fc.constant('tools/call'), fc.string()), params },
      { requiredKeys: ['params'] },
    );
    let accepted = 0;
    fc.assert(
      fc.property(message, (m) => {
        if (plainToolCall(m) === undefined) return true;
        accepted++;
        return sdk.validate(m);
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: a good share of the generated requests are plain.
    expect(accepted).toBeGreaterThan(50);
    expect(plainToolCall({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'calc.sum' } })).toEqual({
      id: 1,
      name: 'calc.sum',
      args: undefined,
    });
  });
});
