// What every case shares: the input shape, the trivial body, the schema and the tools.
import { CacheResult, Retry, RunInExecutor, Sanitize, Timeout, ValidateInput, type CallOptions, type ToolContext } from '@aiecs/core';
import { BaseTool, type ToolConfigInput } from '@aiecs/executor';
import { IsBoolean, IsNumber, IsOptional, IsString } from '@aiecs/validation';

/** The benchmark input: three fields, the third optional. */
export interface AddFields {
  a: number;
  b: string;
  c?: boolean;
}

/** The one input used wherever a case repeats the same call. */
export const SAME_INPUT: AddFields = Object.freeze({ a: 41, b: 'hello world', c: true }) as AddFields;

/** Context passed to `run()` and direct calls (user and task are part of the cache key). */
export const CALL_CONTEXT: CallOptions = Object.freeze({ userId: 'bench-user', taskId: 'bench-task' });

/** A fresh input per call (`a` increments from `start`), so every call misses the cache. */
export function uniqueInputs(start = SAME_INPUT.a): () => AddFields {
  let a = start;
  return () => ({ a: a++, b: 'hello world', c: true });
}

/** What `add(SAME_INPUT)` returns (and the first call of `uniqueInputs()`). */
export const EXPECTED = 52;

/** The same trivial body everywhere. */
export function add(input: AddFields): number {
  return input.a + input.b.length;
}

/** Entries kept by the pipeline tools: small on purpose, so misses run with LRU eviction in steady state. */
export const CACHE_SIZE = 1024;

/** Per-attempt timeout and retry settings of the full pipeline (they never fire on this body). */
export const ATTEMPT_TIMEOUT_MS = 1_000;
export const RETRY_ATTEMPTS = 3;

/** Schema of the pipeline tools (TC39 field decorators from @aiecs/validation). */
export class AddInput {
  @IsNumber() a!: number;
  @IsString() b!: string;
  @IsOptional() @IsBoolean() c?: boolean;
}

/** The floor: no decorators, no base class. */
export class PlainTool {
  async add(input: AddFields): Promise<number> {
    return add(input);
  }
}

/** Full pipeline: validate, sanitize, cache, per-attempt timeout, retry (plus the tool-wide deadline). */
export class PipelineTool extends BaseTool {
  static override toolName = 'bench';

  @ValidateInput(AddInput)
  @Sanitize()
  @CacheResult()
  @Timeout(ATTEMPT_TIMEOUT_MS)
  @Retry({ attempts: RETRY_ATTEMPTS })
  async add(input: AddInput, _ctx: ToolContext): Promise<number> {
    return add(input);
  }
}

/** Same without policies: no @Timeout, no @Retry (retryAttempts 1 and timeoutMs 0 come from the config). */
export class LeanPipelineTool extends BaseTool {
  static override toolName = 'bench';

  @ValidateInput(AddInput)
  @Sanitize()
  @CacheResult()
  async add(input: AddInput, _ctx: ToolContext): Promise<number> {
    return add(input);
  }
}

/** An operation marked for off-thread execution. */
export class CpuTool extends BaseTool {
  @RunInExecutor()
  async spin(input: { n: number }, _ctx: ToolContext): Promise<number> {
    let x = 0;
    for (let i = 0; i < input.n; i++) x = (x + i * i) % 1_000_003;
    return x;
  }
}

const QUIET = { logLevel: 'error' } as const;

/** Tool-wide settings of the full pipeline: defaults (3 attempts, 30 s deadline) but a known cache size. */
export const PIPELINE_CONFIG: ToolConfigInput = { ...QUIET, cacheSize: CACHE_SIZE };

/** Tool-wide settings without retry or deadline. */
export const LEAN_CONFIG: ToolConfigInput = { ...QUIET, cacheSize: CACHE_SIZE, retryAttempts: 1, timeoutMs: 0 };

/** The context type operations declare; a direct call passes call options in its place. */
export function asToolContext(options: CallOptions): ToolContext {
  return options as unknown as ToolContext;
}
