import { CacheResult, Operation, Tool, ValidateInput } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNumber } from '@aiecs/validation';

/** Input of `summarize`: one to a million finite numbers. */
export class SummarizeInput {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1_000_000)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  values!: number[];
}

/** What `summarize` returns. */
export interface Summary {
  readonly count: number;
  readonly mean: number;
  readonly median: number;
  /** Population standard deviation. */
  readonly stddev: number;
  readonly min: number;
  readonly max: number;
}

/** Descriptive statistics: a pure computation, cached by input. */
@Tool({ name: 'stats', description: 'Descriptive statistics over numbers' })
export class StatsTool extends BaseTool {
  @Operation({ readOnly: true, description: 'Count, mean, median, population standard deviation, min and max of numbers' })
  @ValidateInput(SummarizeInput)
  @CacheResult()
  async summarize(input: SummarizeInput): Promise<Summary> {
    return summarize(input.values);
  }
}

/** The statistics of `values` (not empty); Welford's update keeps the variance accurate for large values. */
export function summarize(values: readonly number[]): Summary {
  let mean = 0;
  let m2 = 0;
  values.forEach((x, i) => {
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  });
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  // The result is cached and shared between callers: frozen.
  return Object.freeze({
    count: values.length,
    mean,
    median,
    stddev: Math.sqrt(m2 / values.length),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  });
}
