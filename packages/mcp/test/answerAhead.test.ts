import { toolSource, type ToolSource } from '@aiecs/tool-definitions';
import { InMemoryTransport, Server, type JSONRPCMessage } from '@modelcontextprotocol/server';
import fc from 'fast-check';
import { createMcpServer } from '../src';
import { plainToolCall } from '../src/plainToolCall';
import { createSampleApp } from '../../tool-definitions/test/sampleApp';
import { newClient, textOf } from './mcpScenarios';

/** Cache hits of plain `tools/call` requests are answered before the SDK's request handling. */
describe('answering cache hits ahead of the SDK', () => {
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

  it('answers a hit without the SDK handler, with the result the SDK path sends', async () => {
    const ahead = await connect({ identify: () => ({ userId: 'same-user' }) });
    const sdkOnly = await connect({ identify: () => ({ userId: 'same-user' }), answerHitsAhead: false });
    const first = await ahead.client.callTool(sum('ahead'));
    const throughSdk = await sdkOnly.client.callTool(sum('ahead')); // a hit, answered by the SDK path
    ahead.closeTheSdkPath();
    const hit = await ahead.client.callTool(sum('ahead'));
    expect(hit).toEqual(first);
    expect(hit).toEqual(throughSdk);
    expect(counters.sumRuns.get('same-user')).toBe(1);
    // On the wire: the same result message, but for its id.
    const resultOf = (sent: JSONRPCMessage[]) => {
      const last = sent.at(-1) as { result?: unknown };
      return last.result;
    };
    expect(resultOf(ahead.sent)).toEqual(resultOf(sdkOnly.sent));
    // A miss still needs the SDK's handling (its signal, its progress): it reaches the closed path.
    await expect(ahead.client.callTool(sum('a miss'))).rejects.toThrow('reached the SDK handler');
    sdkOnly.closeTheSdkPath();
    await expect(sdkOnly.client.callTool(sum('ahead'))).rejects.toThrow('reached the SDK handler');
    await Promise.all([ahead.close(), sdkOnly.close()]);
  });

  it('never answers another session’s entry ahead: each session is its own user by default', async () => {
    const a = await connect();
    const b = await connect();
    await a.client.callTool(sum('sessions'));
    a.closeTheSdkPath();
    b.closeTheSdkPath();
    expect(textOf(await a.client.callTool(sum('sessions')))).toContain('42');
    await expect(b.client.callTool(sum('sessions'))).rejects.toThrow('reached the SDK handler');
    await Promise.all([a.close(), b.close()]);
  });

  it('answers a hit that asked for progress (a hit has none to send), and leaves requests of other shapes to the SDK', async () => {
    const { client, closeTheSdkPath, close } = await connect();
    await client.callTool(sum('shapes'));
    closeTheSdkPath();
    const updates: unknown[] = [];
    const hit = await client.callTool(sum('shapes'), { onprogress: (p) => void updates.push(p) });
    expect(hit.structuredContent).toEqual({ total: 42, label: 'shapes' });
    expect(updates).toEqual([]);
    // A task-augmented request is the SDK's to handle, cached or not.
    await expect(client.callTool({ ...sum('shapes'), task: { ttl: 1000 } } as never)).rejects.toThrow();
    await close();
  });

  it('shows every message once to a handler set on the transport before connecting, hits included', async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const seen: string[] = [];
    serverSide.onmessage = (message) => void seen.push('method' in message ? message.method : 'response');
    const server = createMcpServer(app);
    await server.connect(serverSide);
    const client = newClient();
    await client.connect(clientSide);
    seen.length = 0;
    await client.callTool(sum('seen')); // a miss: through the SDK, which calls the handler
    server.setRequestHandler('tools/call', () => {
      throw new Error('reached the SDK handler');
    });
    await client.callTool(sum('seen')); // a hit answered ahead
    expect(seen).toEqual(['tools/call', 'tools/call']);
    await client.close();
  });

  it('prepares a missed call once: the SDK handler makes the call prepared when the request arrived', async () => {
    const source = toolSource(app);
    let prepared = 0;
    const counting: ToolSource = {
      ...source,
      prepare: (name, input, options) => {
        prepared++;
        return source.prepare!(name, input, options);
      },
    };
    const { client, close } = await connect({}, counting);
    const [a, b] = await Promise.all([client.callTool(sum('once-a')), client.callTool(sum('once-b'))]);
    expect([a.structuredContent, b.structuredContent]).toEqual([
      { total: 42, label: 'once-a' },
      { total: 42, label: 'once-b' },
    ]);
    expect(prepared).toBe(2);
    await close();
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
