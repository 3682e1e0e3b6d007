// MCP over the SDK's in-memory transport, with the SDK's client: our server (the full pipeline behind
// tools/call; plain tools/call requests served without the SDK's request dispatch, see ToolCallServer) against the bare SDK server (McpServer.registerTool with the equivalent zod schema, the
// same trivial body, nothing cached). Loaded on demand, so the other cases' processes never load the SDK.
import { Operation, Tool, ValidateInput } from '@aiecs/core';
import { BaseTool, createApp } from '@aiecs/executor';
import type { CaseDef } from '../harness';
import { add, AddInput, EXPECTED, PIPELINE_CONFIG, PipelineTool, SAME_INPUT, uniqueInputs, type AddFields } from '../fixtures';

/** Tools in the tools/list rows. */
const LISTED_TOOLS = 50;

type Client = import('@modelcontextprotocol/client').Client;
type Transport = import('@modelcontextprotocol/server').Transport;

/** A client connected to `connectServer`'s end of a fresh in-memory pair. */
async function connectedClient(connectServer: (transport: Transport) => Promise<void>): Promise<Client> {
  const { InMemoryTransport } = await import('@modelcontextprotocol/server');
  const { Client } = await import('@modelcontextprotocol/client');
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await connectServer(serverSide);
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

async function ourClient(tools: Parameters<typeof createApp>[0]['tools']): Promise<{ client: Client; app: ReturnType<typeof createApp> }> {
  const { createMcpServer } = await import('@aiecs/mcp');
  const app = createApp({ tools });
  const client = await connectedClient((transport) => createMcpServer(app).connect(transport));
  return { client, app };
}

async function bareClient(names: readonly string[]): Promise<Client> {
  const { McpServer } = await import('@modelcontextprotocol/server');
  const { z } = await import('zod');
  const server = new McpServer({ name: 'bare', version: '1.0.0' });
  const inputSchema = z.object({ a: z.number(), b: z.string(), c: z.boolean().optional() });
  for (const name of names) {
    server.registerTool(name, { description: 'Adds a to the length of b.', inputSchema }, async (input: AddFields) => ({
      content: [{ type: 'text', text: String(add(input)) }],
    }));
  }
  return connectedClient((transport) => server.connect(transport));
}

/** The number a tools/call answered (both servers answer the sum as text). */
function answer(result: { content: readonly { type: string; text?: string }[] }): number {
  return Number(result.content[0]?.text);
}

function listTool(index: number) {
  @Tool({ name: `t${String(index).padStart(2, '0')}`, description: `Tool ${index}` })
  class ListedTool extends BaseTool {
    @Operation({ description: 'Adds a to the length of b.', readOnly: true })
    @ValidateInput(AddInput)
    async add(input: AddInput): Promise<number> {
      return add(input);
    }
  }
  return ListedTool;
}

export const mcpCases: readonly CaseDef[] = [
  {
    name: 'mcp tools/call: ours, hit',
    create: async () => {
      const { client, app } = await ourClient([{ tool: PipelineTool, config: PIPELINE_CONFIG }]);
      const params = { name: 'bench.add', arguments: { ...SAME_INPUT } };
      await client.callTool(params);
      const misses = app.getMetrics().bench!.cacheMisses;
      return {
        fn: () => client.callTool(params).then(answer),
        expect: EXPECTED,
        verify: () => (app.getMetrics().bench!.cacheMisses === misses ? undefined : 'some calls missed the cache'),
      };
    },
  },
  {
    name: 'mcp tools/call: ours, miss',
    create: async () => {
      const { client } = await ourClient([{ tool: PipelineTool, config: PIPELINE_CONFIG }]);
      const next = uniqueInputs();
      return { fn: () => client.callTool({ name: 'bench.add', arguments: { ...next() } }).then(answer), expect: EXPECTED };
    },
  },
  {
    name: 'mcp tools/call: bare SDK server, zod',
    create: async () => {
      const client = await bareClient(['bench.add']);
      const next = uniqueInputs();
      return { fn: () => client.callTool({ name: 'bench.add', arguments: { ...next() } }).then(answer), expect: EXPECTED };
    },
  },
  {
    name: `mcp tools/list, ${LISTED_TOOLS} tools: ours`,
    create: async () => {
      const { client } = await ourClient(Array.from({ length: LISTED_TOOLS }, (_, i) => listTool(i)));
      return { fn: () => client.listTools(undefined, { cacheMode: 'bypass' }).then((r) => r.tools.length), expect: LISTED_TOOLS };
    },
  },
  {
    name: `mcp tools/list, ${LISTED_TOOLS} tools: bare SDK server, zod`,
    create: async () => {
      const client = await bareClient(Array.from({ length: LISTED_TOOLS }, (_, i) => `t${String(i).padStart(2, '0')}.add`));
      return { fn: () => client.listTools(undefined, { cacheMode: 'bypass' }).then((r) => r.tools.length), expect: LISTED_TOOLS };
    },
  },
];
