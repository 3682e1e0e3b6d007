// The cost of the observability listeners on the pipeline's hit and miss rows: the same calls as `hit`
// and `miss`, with @aiecs/prometheus or @aiecs/otel subscribed to the tool's events.
import type { ToolEventListener } from '@aiecs/executor';
import { OtelTracing } from '@aiecs/otel';
import { PrometheusMetrics } from '@aiecs/prometheus';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { CaseDef } from '../harness';
import { CALL_CONTEXT, EXPECTED, PIPELINE_CONFIG, PipelineTool, SAME_INPUT, uniqueInputs } from '../fixtures';
import { expectCounters } from './pipeline';

/** A Prometheus listener on a registry of its own (nothing scrapes it: the cost is the counting). */
const prometheus = (): ToolEventListener => new PrometheusMetrics();

/**
 * OpenTelemetry as a real app sets it up: the SDK's tracer with an AsyncLocalStorage context manager, and
 * no span processor (spans are built, timed and ended, not exported: the exporter is not ours to measure).
 */
function otel(): ToolEventListener {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return new OtelTracing({ tracer: new BasicTracerProvider().getTracer('bench') });
}

function hitWith(name: string, listener: () => ToolEventListener): CaseDef {
  return {
    name,
    create: async () => {
      const tool = new PipelineTool(PIPELINE_CONFIG);
      tool.executor.events.subscribe(listener());
      await tool.run('add', SAME_INPUT, CALL_CONTEXT);
      return { fn: () => tool.run('add', SAME_INPUT, CALL_CONTEXT), expect: EXPECTED, verify: expectCounters(tool, { misses: 1 }) };
    },
  };
}

function missWith(name: string, listener: () => ToolEventListener): CaseDef {
  return {
    name,
    create: () => {
      const tool = new PipelineTool(PIPELINE_CONFIG);
      tool.executor.events.subscribe(listener());
      const next = uniqueInputs();
      return { fn: () => tool.run('add', next(), CALL_CONTEXT), expect: EXPECTED, verify: expectCounters(tool, { hits: 0 }) };
    },
  };
}

export const observabilityCases: readonly CaseDef[] = [
  hitWith('hit + prometheus', prometheus),
  hitWith('hit + otel', otel),
  missWith('miss + prometheus', prometheus),
  missWith('miss + otel', otel),
];
