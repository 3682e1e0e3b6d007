import { CacheResult, MeasureTime, Operation, PIPELINE_CONTEXT, Retry, Timeout, Tool, ValidateInput } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';
import { IsUrl } from '@aiecs/validation';

/** Input of `get`: an absolute http(s) URL (hosts without a TLD, such as 127.0.0.1 or localhost, allowed). */
export class GetInput {
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) url!: string;
}

/** What `get` returns. */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** A 5xx answer: the server may answer the next attempt, so it is left retryable (a plain error's kind is `transient`). */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`HTTP ${status} from ${url}`);
    this.name = 'HttpStatusError';
  }
}

/** GETs URLs with the global `fetch`: 5xx answers and attempt timeouts are retried, successes cached. */
@Tool({ name: 'http', description: 'Fetches web resources over HTTP(S)' })
export class HttpFetchTool extends BaseTool {
  @Operation({ readOnly: true, openWorld: true, description: 'GETs a URL and returns its status and text body; 5xx answers are retried' })
  @ValidateInput(GetInput)
  @Retry({ attempts: 3, initialDelayMs: 20 })
  @Timeout(1_000)
  @CacheResult({ ttlMs: 30_000 })
  @MeasureTime()
  async get(input: GetInput, ctx = PIPELINE_CONTEXT): Promise<HttpResponse> {
    const response = await fetch(input.url, { signal: ctx.signal, headers: { accept: 'text/plain, application/json;q=0.9, */*;q=0.1' } });
    const body = await response.text();
    if (response.status >= 500) throw new HttpStatusError(response.status, input.url);
    // 4xx is an answer, not a failure to get one: returned (and cached) like a 200.
    return Object.freeze({ status: response.status, body });
  }
}
