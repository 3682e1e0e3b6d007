// One replica: an app on the Redis cache chosen by the environment (CACHE_BACKEND=redis, CACHE_REDIS_URL,
// CACHE_PREFIX), driven by the demo over IPC.
import { createApp } from '@aiecs/executor';
import { PrometheusMetrics } from '@aiecs/prometheus';
import { SearchTool } from './SearchTool';

/** What the demo asks a replica. */
export type ReplicaRequest =
  | { readonly type: 'find'; readonly id: number; readonly input: unknown }
  | { readonly type: 'metrics'; readonly id: number }
  | { readonly type: 'exit' };
/** What a replica answers. */
export interface ReplicaReply {
  readonly id: number;
  readonly value?: unknown;
  readonly error?: string;
  /** The method's runs in this replica so far. */
  readonly backendCalls: number;
  readonly cacheHits: number;
  readonly ms: number;
}

async function main(): Promise<void> {
  const metrics = new PrometheusMetrics();
  const app = createApp({
    tools: [SearchTool],
    listeners: [metrics],
    logger: { debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  metrics.observe(app);
  const tool = app.tool(SearchTool);
  const reply = (id: number, started: number, extra: { value?: unknown; error?: string }): void =>
    void process.send!({
      id,
      ...extra,
      backendCalls: tool.backendCalls,
      cacheHits: app.getMetrics()['search']!.cacheHits,
      ms: performance.now() - started,
    });
  process.on('message', (request: ReplicaRequest) => {
    const started = performance.now();
    if (request.type === 'exit') {
      void app.close().then(() => process.disconnect());
    } else if (request.type === 'metrics') {
      void metrics.registry.metrics().then((text) => reply(request.id, started, { value: text }));
    } else {
      app.run('search.find', request.input).then(
        (value) => reply(request.id, started, { value }),
        (error: unknown) => reply(request.id, started, { error: String(error) }),
      );
    }
  });
  // Connects the Redis store now (a health check probes it), so the first call does not pay for the connection.
  const health = await app.healthCheck();
  process.send!({ id: -1, ready: true, cache: health.tools['search']?.cache });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
