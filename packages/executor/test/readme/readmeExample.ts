import { readFile } from 'node:fs/promises';
import { CacheResult, Operation, PIPELINE_CONTEXT, Retry, Sanitize, Timeout, Tool, ValidateInput } from '@aiecs/core';
import { IsInt, IsOptional, IsString, IsUrl, Min } from '@aiecs/validation';
import { BaseTool, createApp } from '@aiecs/executor';

class ReadInput {
  @IsString() path!: string;
  @IsOptional() @IsInt() @Min(1) maxSize?: number;
}

class FetchInput {
  @IsUrl({ require_tld: false }) url!: string;
}

@Tool({ name: 'file', description: 'Reads text files' })
class FileTool extends BaseTool {
  @Operation({ description: 'Reads a file as UTF-8 text', readOnly: true })
  @ValidateInput(ReadInput)
  @Sanitize()
  @CacheResult({ ttlMs: 60_000 })
  async read(input: ReadInput, ctx = PIPELINE_CONTEXT): Promise<string> {
    // input is a validated ReadInput; ctx.signal aborts on timeout or when the caller aborts
    const text = await readFile(input.path, { encoding: 'utf8', signal: ctx.signal });
    return input.maxSize ? text.slice(0, input.maxSize) : text;
  }

  @Operation({ description: 'Fetches a URL', readOnly: true, openWorld: true })
  @ValidateInput(FetchInput)
  @Retry({ attempts: 5, backoff: 'exponential', maxDelayMs: 5_000 })
  @Timeout(2_000)
  async fetchRemote(input: FetchInput, ctx = PIPELINE_CONTEXT): Promise<string> {
    const response = await fetch(input.url, { signal: ctx.signal });
    return response.text();
  }
}

export async function readmeExample(): Promise<void> {
  // One tool on its own (a private runtime: cache, timers, logger)…
  await using tool = new FileTool({ cacheSize: 1000 });
  await tool.run('read', { path: 'a.txt' }, { userId: 'u1', taskId: 't1' }); // name, input and result typed
  await tool.read({ path: 'a.txt' }); // a direct call goes through the same pipeline
  await tool.runBatch(
    [
      { op: 'read', input: { path: 'a.txt' } },
      { op: 'read', kwargs: { path: 'b.txt' } },
    ],
    { concurrency: 4 },
  );
  tool.executor.getMetrics(); // { requests, failures, cacheHits, cacheMisses, cacheErrors, retries, timeouts, … }

  // …or many tools in one app, sharing one runtime.
  await using app = createApp({ tools: [FileTool], config: { timeoutMs: 10_000 } });
  app.operations(); // [{ qualifiedName: 'file.read', description, sideEffects: { readOnly: true }, inputSchema: ReadInput, … }, …]
  await app.run('file.read', { path: 'a.txt' }, { userId: 'u1' });
  await app.tool(FileTool).run('read', { path: 'a.txt' }); // typed, through the app's runtime
  await app.healthCheck(); // { status: 'healthy' | 'degraded' | 'unhealthy', tools: { file: { … } } }
}
