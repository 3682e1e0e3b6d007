import { CacheResult, Operation, PIPELINE_CONTEXT, Tool, ValidateInput } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';
import { IsInt, IsString, Min } from '@aiecs/validation';

export class SearchInput {
  @IsString() query!: string;
  /** How long the (simulated) search backend takes, in ms. */
  @IsInt() @Min(0) backendMs!: number;
}

/** What a search answers: typed values (a Date, a Map) that survive the trip through Redis. */
export interface SearchResult {
  readonly query: string;
  readonly answeredBy: number;
  readonly at: Date;
  readonly scores: Map<string, number>;
}

/** A search whose backend is slow: worth caching, and worth running once when replicas miss together. */
@Tool({ name: 'search', description: 'Searches a slow backend' })
export class SearchTool extends BaseTool {
  /** Times the backend was called in this process. */
  backendCalls = 0;

  @Operation({ description: 'Searches for query', readOnly: true })
  @ValidateInput(SearchInput)
  @CacheResult({ ttlMs: 60_000 })
  async find(input: SearchInput, ctx = PIPELINE_CONTEXT): Promise<SearchResult> {
    this.backendCalls++;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, input.backendMs);
      ctx.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    return { query: input.query, answeredBy: process.pid, at: new Date(), scores: new Map([[input.query, input.query.length / 10]]) };
  }
}
