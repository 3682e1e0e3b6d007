import { InputValidationError, SecurityError, TimeoutError } from '@aiecs/core';
import { FileTool } from './FileTool';

/** Runs the tour and reports each step through `print`; returns the tool's metrics. */
export async function runQuickstart(print: (line: string) => void) {
  const tool = new FileTool({ cacheSize: 1000, retryBackoffMs: 50, logLevel: 'silent' });
  const ctx = { userId: 'u1', taskId: 't1' };
  try {
    // A direct call goes through the same pipeline as run(); call options (user, task, signal) go through run().
    print(`1. read a.txt            -> ${await tool.read({ path: 'a.txt' })} (disk reads: ${tool.reads})`);
    print(`2. read a.txt again      -> ${await tool.run('read', { path: 'a.txt' })} (disk reads: ${tool.reads}; cache hit)`);

    const invalid = await tool.run('read', { path: 'a.txt', maxSize: 0 }, ctx).catch((e: unknown) => e);
    if (invalid instanceof InputValidationError) {
      print(
        `3. maxSize 0             -> InputValidationError on ${invalid.errors.map((e) => e.path).join(', ')}: ${Object.values(invalid.errors[0].constraints)[0]}`,
      );
    }

    const unsafe = await tool.run('read', { path: '../../etc/passwd' }, ctx).catch((e: unknown) => e);
    if (unsafe instanceof SecurityError) print(`4. ../../etc/passwd      -> SecurityError on '${unsafe.field}' (${unsafe.rule})`);

    print(`5. flaky share           -> ${await tool.run('readFromShare', { path: 'b.txt' }, ctx)}`);

    const slow = await tool.run('slowRead', { path: 'a.txt', delayMs: 5_000 }, ctx).catch((e: unknown) => e);
    if (slow instanceof TimeoutError) print(`6. slow read (5 s)       -> TimeoutError after ${slow.timeoutMs} ms`);

    const m = tool.executor.getMetrics();
    print(
      `metrics: requests=${m.requests} hits=${m.cacheHits} misses=${m.cacheMisses} retries=${m.retries} timeouts=${m.timeouts} failures=${m.failures}`,
    );
    return m;
  } finally {
    await tool.close();
  }
}
