// Run by health.test.ts in a child process: it must exit on its own, with no close() call.
import { CacheResult, Retry, Timeout } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';

class Probe extends BaseTool {
  @CacheResult({ ttlMs: 60_000 })
  @Timeout(10_000)
  @Retry({ attempts: 2 })
  async op(input: { n: number }) {
    return input.n + 1;
  }
}

void (async () => {
  const tool = new Probe({ logger: { debug() {}, info() {}, warn() {}, error() {} } });
  await tool.run('op', { n: 1 });
  await tool.run('op', { n: 1 });
  process.stdout.write('done\n');
})();
