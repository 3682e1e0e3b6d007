/**
 * A small app the adapter tests share: a cached read-only sum, a slow operation that reports progress
 * and honours its signal, a non-idempotent append with a short deadline, and operations behind an
 * open circuit and a full bulkhead.
 */
import { Bulkhead, CacheResult, CircuitBreaker, Operation, PIPELINE_CONTEXT, Tool, ValidateInput } from '@aiecs/core';
import { createApp, BaseTool, type App, type ToolEntry } from '@aiecs/executor';
import { ArrayMinSize, Description, IsArray, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from '@aiecs/validation';

/** Input of `calc.sum`. */
export class SumInput {
  @Description('The numbers to add')
  @IsArray()
  @ArrayMinSize(1)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  values!: number[];
  @Description('A label echoed back') @IsOptional() @IsString() @MaxLength(20) label?: string;
}

/** Input of `calc.wait`. */
export class WaitInput {
  @IsInt() @Min(1) @Max(60_000) ms!: number;
  @IsInt() @Min(1) @Max(100) steps!: number;
}

/** Input of `journal.append`. */
export class AppendInput {
  @IsString() @MaxLength(200) text!: string;
  @IsOptional() @IsInt() @Min(0) @Max(60_000) delayMs?: number;
}

/** What the sample tools saw, for tests to assert on. */
export interface SampleCounters {
  /** Times `calc.sum` ran its body (a cache hit does not run it), by user id. */
  readonly sumRuns: Map<string, number>;
  /** Aborted `calc.wait` bodies (their signal fired before they finished). */
  waitAborts: number;
  /** `journal.append` bodies started. */
  appends: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Builds the sample app and the counters its tools update; `extra` adds tools that may read the counters. */
export function createSampleApp(extra: (counters: SampleCounters) => readonly ToolEntry[] = () => []): {
  app: App;
  counters: SampleCounters;
} {
  const counters: SampleCounters = { sumRuns: new Map(), waitAborts: 0, appends: 0 };

  @Tool({ name: 'calc', description: 'Arithmetic' })
  class CalcTool extends BaseTool {
    @Operation({ description: 'Adds numbers', readOnly: true })
    @ValidateInput(SumInput)
    @CacheResult()
    async sum(input: SumInput, ctx = PIPELINE_CONTEXT): Promise<{ total: number; label?: string }> {
      counters.sumRuns.set(ctx.userId, (counters.sumRuns.get(ctx.userId) ?? 0) + 1);
      return { total: input.values.reduce((a, b) => a + b, 0), ...(input.label === undefined ? {} : { label: input.label }) };
    }

    @Operation({ description: 'Waits ms milliseconds in steps, reporting progress after each', readOnly: true })
    @ValidateInput(WaitInput)
    async wait(input: WaitInput, ctx = PIPELINE_CONTEXT): Promise<string> {
      try {
        for (let step = 1; step <= input.steps; step++) {
          await sleep(input.ms / input.steps, ctx.signal);
          ctx.reportProgress?.(step, input.steps, `step ${step} of ${input.steps}`);
        }
      } catch (error) {
        counters.waitAborts++;
        throw error;
      }
      return `waited ${input.ms} ms`;
    }
  }

  @Tool({ name: 'journal', description: 'An append-only journal' })
  class JournalTool extends BaseTool {
    @Operation({ description: 'Appends a line (not idempotent)', idempotent: false })
    @ValidateInput(AppendInput)
    async append(input: AppendInput, ctx = PIPELINE_CONTEXT): Promise<string> {
      counters.appends++;
      if (input.delayMs) await sleep(input.delayMs, ctx.signal);
      return `appended ${input.text.length} characters`;
    }
  }

  @Tool({ name: 'fragile', description: 'Operations that fail' })
  class FragileTool extends BaseTool {
    @Operation({ description: 'Always fails; its circuit opens after one failure', readOnly: true })
    @CircuitBreaker({ threshold: 1, halfOpenAfterMs: 30_000 })
    async broken(): Promise<never> {
      throw Object.assign(new Error('upstream is down'), { code: 'ECONNREFUSED' });
    }

    @Operation({ description: 'Holds its only slot for 300 ms', readOnly: true })
    @Bulkhead({ limit: 1, queue: 0 })
    async narrow(_input: unknown, ctx = PIPELINE_CONTEXT): Promise<string> {
      await sleep(300, ctx.signal);
      return 'done';
    }
  }

  const app = createApp({
    tools: [
      CalcTool,
      { tool: JournalTool, config: { timeoutMs: 150 } },
      { tool: FragileTool, config: { retryAttempts: 1, timeoutMs: 2_000 } },
      ...extra(counters),
    ],
    config: { logLevel: 'silent' },
  });
  return { app, counters };
}
