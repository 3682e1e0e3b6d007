// Run by timerHygiene.test.ts in a child process: a call whose deadline passes while a per-attempt
// @Timeout(5000) attempt still runs a method that ignores its signal. The process must exit soon after
// the call settles, not when the 5 s attempt timer would have fired. Prints `done`, then on exit how long
// the process lingered after the call settled.
import { Retry, Timeout, TimeoutError } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';

class Hung extends BaseTool {
  @Timeout(5000)
  @Retry({ attempts: 1 })
  async op(_input: object): Promise<never> {
    return new Promise<never>(() => undefined); // ignores its signal; holds no handle itself
  }
}

void (async () => {
  const tool = new Hung({ logger: { debug() {}, info() {}, warn() {}, error() {} } });
  const aborted = new AbortController();
  const byDeadline = await tool.run('op', {}, { deadlineMs: Date.now() + 50 }).catch((error: unknown) => error);
  const byAbort = tool.run('op', {}, { signal: aborted.signal }).catch((error: unknown) => error);
  setTimeout(() => aborted.abort(new Error('caller left')), 20);
  const abortError = await byAbort;
  if (!(byDeadline instanceof TimeoutError)) throw new Error(`expected a TimeoutError, got ${String(byDeadline)}`);
  if (!(abortError instanceof Error)) throw new Error(`expected an abort error, got ${String(abortError)}`);
  const settledAt = Date.now();
  process.on('exit', () => process.stdout.write(`lingered ${Date.now() - settledAt}\n`));
  process.stdout.write('done\n');
})();
