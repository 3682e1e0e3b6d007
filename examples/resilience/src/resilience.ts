import { CircuitOpenError, TimeoutError, ToolExecutionError } from '@aiecs/core';
import { WeatherTool } from './WeatherTool';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describe(error: unknown): string {
  if (error instanceof CircuitOpenError) return 'CircuitOpenError (failed fast, API not called)';
  if (error instanceof TimeoutError) return `TimeoutError after ${error.timeoutMs} ms (${error.scope})`;
  if (error instanceof ToolExecutionError) return `ToolExecutionError: ${(error.cause as Error).message}`;
  return String(error);
}

/** Walks through recovery, a circuit opening and closing, a timeout and a fallback; reports via `print`. */
export async function runResilience(print: (line: string) => void) {
  const tool = new WeatherTool({ logLevel: 'silent', operations: { forecast: { timeoutMs: 2000 } } });
  const { api } = tool;
  const call = async (label: string, op: 'forecast' | 'forecastOrDefault' = 'forecast') => {
    const before = api.calls;
    const outcome = await tool.run(op, { city: 'Oslo' }).then(
      (value) => value,
      (error: unknown) => describe(error),
    );
    const circuit = tool.executor.getMetrics().byOperation.forecast?.circuit ?? 'closed';
    print(`${label.padEnd(37)} -> ${outcome} [api calls: ${api.calls - before}, circuit: ${circuit}]`);
  };
  try {
    api.flaky(2);
    await call('1. flaky API (2 failures)');
    api.mode = 'down';
    await call('2. API down');
    await call('3. API still down: circuit opens');
    api.mode = 'ok';
    await call('4. API back, circuit still open');
    await sleep(350);
    await call('5. after halfOpenAfterMs: trial call');
    api.mode = 'hanging';
    await call('6. API hangs (150 ms per attempt)', 'forecastOrDefault');
    api.mode = 'down';
    await call('7. API down, with @Fallback', 'forecastOrDefault');
    const m = tool.executor.getMetrics();
    print(`metrics: requests=${m.requests} retries=${m.retries} timeouts=${m.timeouts} failures=${m.failures}`);
    return m;
  } finally {
    await tool.close();
  }
}
