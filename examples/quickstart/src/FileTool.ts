import { CacheResult, MeasureTime, Operation, PIPELINE_CONTEXT, Retry, Sanitize, Timeout, Tool, ValidateInput } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';
import { IsInt, IsOptional, IsString, Min } from '@aiecs/validation';

/** Input of `read`: a path and an optional size limit. */
export class ReadInput {
  @IsString() path!: string;
  @IsOptional() @IsInt() @Min(1) maxSize?: number;
}

/** Input of `slowRead`: how long the pretend disk takes. */
export class SlowReadInput {
  @IsString() path!: string;
  @IsInt() @Min(0) delayMs!: number;
}

/** A pretend file tool over an in-memory "disk". */
@Tool({ name: 'file', description: 'Reads files from an in-memory disk' })
export class FileTool extends BaseTool {
  /** Reads actually performed (cache hits do not count). */
  reads = 0;
  private flakyFailuresLeft = 2;
  private readonly disk = new Map([
    ['a.txt', 'alpha'],
    ['b.txt', 'bravo'],
  ]);

  @Operation({ description: 'Reads a file', readOnly: true })
  @ValidateInput(ReadInput)
  @Sanitize()
  @CacheResult({ ttlMs: 60_000 })
  @MeasureTime()
  async read(input: ReadInput): Promise<string> {
    this.reads++;
    const content = this.disk.get(input.path);
    if (content === undefined) throw new Error(`no such file: ${input.path}`);
    return input.maxSize ? content.slice(0, input.maxSize) : content;
  }

  /** Fails twice (a network share waking up), then works. */
  @ValidateInput(ReadInput)
  @Retry({ attempts: 3, initialDelayMs: 50 })
  async readFromShare(input: ReadInput, ctx = PIPELINE_CONTEXT): Promise<string> {
    if (this.flakyFailuresLeft-- > 0) throw new Error(`share not ready (attempt ${ctx.attempt})`);
    return `${this.disk.get(input.path)} (from share, attempt ${ctx.attempt})`;
  }

  /** Honours its signal: stops as soon as the deadline aborts it. */
  @ValidateInput(SlowReadInput)
  @Timeout(200)
  @Retry({ attempts: 1 })
  async slowRead(input: SlowReadInput, ctx = PIPELINE_CONTEXT): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, input.delayMs);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(ctx.signal.reason);
      });
    });
    return this.disk.get(input.path) ?? '';
  }
}
