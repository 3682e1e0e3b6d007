/**
 * What every transport must do, run by the stdio, HTTP and in-memory tests against the real SDK
 * client: list, call, a validation failure, a timeout, a cancellation mid-call, progress.
 */
import { Client, type CallToolResult } from '@modelcontextprotocol/client';

/** A connected client and how to close it. */
export interface Connected {
  readonly client: Client;
  close(): Promise<void>;
}

export function newClient(): Client {
  return new Client({ name: 'aiecs-test', version: '1.0.0' });
}

export function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : `(${block.type})`)).join('\n');
}

export async function counters(client: Client): Promise<{ waitAborts: number; appends: number; sumRuns: Record<string, number> }> {
  const result = await client.callTool({ name: 'probe.counters', arguments: {} });
  return result.structuredContent as { waitAborts: number; appends: number; sumRuns: Record<string, number> };
}

/** Resolves once `check` answers true; fails after `ms`. */
export async function until(check: () => Promise<boolean>, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Calls `calc.wait` in 4 steps with a progress listener and checks the notifications that arrived. Every one
 * is sent before the result. The SDK's client, though, dispatches notifications a microtask after reading
 * them and responses at once, so when the last notification and the result are read in one chunk (stdio
 * under load) the client drops that last one: at least the first three arrive.
 */
export async function expectProgress(client: Client): Promise<void> {
  const updates: { progress: number; total?: number; message?: string }[] = [];
  const result = await client.callTool({ name: 'calc.wait', arguments: { ms: 80, steps: 4 } }, { onprogress: (p) => void updates.push(p) });
  expect(textOf(result)).toBe('waited 80 ms');
  const expected = [1, 2, 3, 4].map((n) => ({ progress: n, total: 4, message: `step ${n} of 4` }));
  expect(updates.length).toBeGreaterThanOrEqual(3);
  expect(updates).toEqual(expected.slice(0, updates.length));
}

/**
 * POSTs a long `calc.wait` call straight to `url` (with `headers`: the session's, or a stateless request's),
 * closes the HTTP request 300 ms later, and waits until the call's signal was aborted (read through `client`).
 */
export async function expectAbortOnRequestClose(url: string, headers: Record<string, string>, client: Client): Promise<void> {
  const before = (await counters(client)).waitAborts;
  const request = new AbortController();
  const response = fetch(url, {
    method: 'POST',
    signal: request.signal,
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 'raw-1',
      method: 'tools/call',
      params: { name: 'calc.wait', arguments: { ms: 10_000, steps: 10 } },
    }),
  }).catch((error: unknown) => error);
  await new Promise((resolve) => setTimeout(resolve, 300));
  request.abort();
  await response;
  await until(async () => (await counters(client)).waitAborts === before + 1);
}

/** Registers the shared cases; `connect` opens a fresh client on the transport under test. */
export function mcpScenarios(connect: () => Promise<Connected>): void {
  // One connection for the cases (a stdio child takes seconds to start here); each case reads counter deltas.
  let connected: Connected;
  beforeAll(async () => {
    connected = await connect();
  });
  afterAll(async () => {
    await connected.close();
  });

  it('lists the tools: names, descriptions, raw JSON Schemas, side effects as annotations', async () => {
    const { tools } = await connected.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['calc.sum', 'calc.wait', 'journal.append', 'fragile.broken']));
    const sum = byName.get('calc.sum')!;
    expect(sum.description).toBe('Adds numbers');
    expect(sum.inputSchema).toMatchObject({
      type: 'object',
      required: ['values'],
      additionalProperties: false,
      properties: {
        values: { type: 'array', minItems: 1, items: { type: 'number' }, description: 'The numbers to add' },
        label: { type: 'string', maxLength: 20 },
      },
    });
    expect(sum.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
    expect(byName.get('journal.append')!.annotations).toEqual({ title: 'journal.append', idempotentHint: false });
  });

  it('calls a tool through the pipeline', async () => {
    const result = await connected.client.callTool({ name: 'calc.sum', arguments: { values: [1, 2, 3.5], label: 'x' } });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('{"total":6.5,"label":"x"}');
    expect(result.structuredContent).toEqual({ total: 6.5, label: 'x' });
  });

  it('answers a repeated call from the cache: the same result, the body run once', async () => {
    const runs = async () => Object.values((await counters(connected.client)).sumRuns).reduce((a, b) => a + b, 0);
    const before = await runs();
    const call = { name: 'calc.sum', arguments: { values: [5, 6], label: 'repeat' } };
    const first = await connected.client.callTool(call);
    const again = await connected.client.callTool(call);
    expect(again).toEqual(first);
    expect(first.structuredContent).toEqual({ total: 11, label: 'repeat' });
    expect(await runs()).toBe(before + 1);
  });

  it('answers a validation failure as an isError result naming each field, what was expected and received', async () => {
    const result = await connected.client.callTool({ name: 'calc.wait', arguments: { ms: 'soon', steps: 0, extra: true } });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toContain('- ms: expected');
    expect(text).toContain('received "soon"');
    expect(text).toMatch(/- steps: expected steps must not be less than 1; received 0/);
    expect(text).toMatch(/- extra: expected .*; received true/);
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('answers a timeout as an isError result saying a non-idempotent operation may have taken effect', async () => {
    const result = await connected.client.callTool({ name: 'journal.append', arguments: { text: 'hello', delayMs: 5_000 } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(
      'journal.append did not finish within 150 ms and was stopped. It may still have taken effect (it is not declared idempotent)',
    );
  });

  it('sends progress notifications when the client asks for them, and none otherwise', async () => {
    await expectProgress(connected.client);
    const quiet = await connected.client.callTool({ name: 'calc.wait', arguments: { ms: 20, steps: 2 } });
    expect(quiet.isError).toBeFalsy();
  });

  it('aborts the operation’s signal when the client cancels mid-call', async () => {
    const before = (await counters(connected.client)).waitAborts;
    const controller = new AbortController();
    const call = connected.client.callTool(
      { name: 'calc.wait', arguments: { ms: 10_000, steps: 100 } },
      { signal: controller.signal, onprogress: () => controller.abort('the user pressed stop') },
    );
    await expect(call).rejects.toThrow();
    await until(async () => (await counters(connected.client)).waitAborts === before + 1);
  });
}
