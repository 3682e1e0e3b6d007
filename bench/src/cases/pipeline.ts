// The framework's pipeline: cache hit (via run() and via a direct call) and cache miss (with and without policies).
import type { BaseTool } from '@aiecs/executor';
import type { CaseDef } from '../harness';
import {
  asToolContext,
  CALL_CONTEXT,
  EXPECTED,
  LEAN_CONFIG,
  LeanPipelineTool,
  PIPELINE_CONFIG,
  PipelineTool,
  SAME_INPUT,
  uniqueInputs,
} from '../fixtures';

/** Problem with the tool's cache counters for operation `operation` (default `add`), if any. */
export function expectCounters(tool: BaseTool, expected: { hits?: 0; misses?: number }, operation = 'add'): () => string | undefined {
  return () => {
    const counters = tool.executor.getMetrics().byOperation[operation];
    if (!counters) return `operation ${operation} never ran`;
    if (expected.hits !== undefined && counters.cacheHits !== expected.hits) return `expected no cache hit, got ${counters.cacheHits}`;
    if (expected.misses !== undefined && counters.cacheMisses !== expected.misses) {
      return `expected ${expected.misses} cache miss(es), got ${counters.cacheMisses}`;
    }
    if (counters.failures !== 0) return `${counters.failures} call(s) failed`;
    return undefined;
  };
}

export const pipelineCases: readonly CaseDef[] = [
  {
    name: 'hit',
    create: async () => {
      const tool = new PipelineTool(PIPELINE_CONFIG);
      await tool.run('add', SAME_INPUT, CALL_CONTEXT); // the only miss: every measured call hits
      return { fn: () => tool.run('add', SAME_INPUT, CALL_CONTEXT), expect: EXPECTED, verify: expectCounters(tool, { misses: 1 }) };
    },
  },
  {
    name: 'hit (direct call)',
    create: async () => {
      const tool = new PipelineTool(PIPELINE_CONFIG);
      const context = asToolContext(CALL_CONTEXT);
      await tool.add(SAME_INPUT, context);
      return { fn: () => tool.add(SAME_INPUT, context), expect: EXPECTED, verify: expectCounters(tool, { misses: 1 }) };
    },
  },
  {
    name: 'miss',
    create: () => {
      const tool = new PipelineTool(PIPELINE_CONFIG);
      const next = uniqueInputs();
      return { fn: () => tool.run('add', next(), CALL_CONTEXT), expect: EXPECTED, verify: expectCounters(tool, { hits: 0 }) };
    },
  },
  {
    name: 'miss (no retry/timeout)',
    create: () => {
      const tool = new LeanPipelineTool(LEAN_CONFIG);
      const next = uniqueInputs();
      return { fn: () => tool.run('add', next(), CALL_CONTEXT), expect: EXPECTED, verify: expectCounters(tool, { hits: 0 }) };
    },
  },
];
