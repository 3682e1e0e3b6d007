import { CacheResult, MeasureTime, Sanitize, ValidateInput, type ToolContext } from '@aiecs/core';
import { IsInt, IsOptional, IsString, Min, Type, ValidateNested, IsArray } from '@aiecs/validation';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as path from 'node:path';
import { BaseTool, type Logger } from '../src';

/** A logger that records what it is given, for assertions. */
export function recordingLogger(): Logger & { lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Settles `promise` while running every fake timer; never rejects. */
export async function settleWithTimers<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  const settled = Promise.allSettled([promise]).then(([r]) => r);
  await jest.runAllTimersAsync();
  return settled;
}

export const quiet = { logger: recordingLogger() };

export class ReadInput {
  @IsString() path!: string;
  @IsOptional() @IsInt() @Min(1) maxSize?: number;
}

export class Item {
  @IsString() name!: string;
  @IsInt() @Min(0) qty!: number;
}

export class OrderInput {
  @IsString() customer!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
}

/** A file-reading tool whose method counts its executions. */
export class FileTool extends BaseTool {
  calls = 0;

  @ValidateInput(ReadInput)
  @Sanitize()
  @CacheResult({ ttlMs: 60_000 })
  @MeasureTime()
  async read(input: ReadInput, ctx: ToolContext): Promise<{ content: string; user: string; isInstance: boolean }> {
    this.calls++;
    return { content: `contents of ${input.path}`, user: ctx.userId, isInstance: input instanceof ReadInput };
  }

  @ValidateInput(OrderInput)
  async order(input: OrderInput): Promise<number> {
    return input.items.reduce((sum, item) => sum + item.qty, 0);
  }

  async plain(input: { n: number }): Promise<number> {
    return input.n * 2;
  }

  _secret(): string {
    return 'hidden';
  }
}

/** Runs `test/<script>` in a child Node process on the sources (as the tests do); for process-exit checks. */
export function runProbe(script: string): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', path.join(__dirname, script)],
    {
      cwd: path.resolve(__dirname, '../../..'),
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, TS_NODE_PROJECT: path.resolve(__dirname, '../../../tsconfig.json') },
    },
  );
}
