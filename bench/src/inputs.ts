// The inputs users send (issue 14): a realistic search input, a nested one, 10 and 100 fields, a 10 kB and a
// 1 MB string field. Each input kind has its schema (ours), a plain description of its fields (from which
// handwritten.ts builds the same schema in zod and in class-validator), a fixed input for hits, a fresh input
// per call for misses, and the trivial body every stack runs.
import { CacheResult, Retry, Sanitize, Timeout, ValidateInput, type ToolContext } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';
import { ArrayMaxSize, IsArray, IsInt, IsString, Max, MaxLength, Min, Type, ValidateNested } from '@aiecs/validation';
import { ATTEMPT_TIMEOUT_MS, RETRY_ATTEMPTS } from './fixtures';
import { Wide100Input, Wide10Input } from './wideSchemas';

/** `{ query, limit, tags }`: what a search tool receives. */
export class SearchInput {
  @IsString() @MaxLength(500) query!: string;
  @IsInt() @Min(1) @Max(100) limit!: number;
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) tags!: string[];
}

export class LineItem {
  @IsString() sku!: string;
  @IsInt() @Min(1) qty!: number;
}

export class DateRange {
  @IsInt() from!: number;
  @IsInt() to!: number;
}

/** An order: an id, an array of nested items and a nested range. */
export class OrderInput {
  @IsString() id!: string;
  @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => LineItem) items!: LineItem[];
  @ValidateNested() @Type(() => DateRange) window!: DateRange;
}

/** An id and a long text (the 10 kB and 1 MB rows). */
export class TextInput {
  @IsString() id!: string;
  @IsString() text!: string;
}

/** A field of a schema, for building the same schema with the other libraries. */
export type FieldKind = 'string' | 'int' | 'boolean';

/** One kind of input: schema, fixed and fresh inputs, body. */
export interface InputKind {
  /** Row name suffix. */
  readonly name: string;
  readonly schema: new () => object;
  /** The input every hit row repeats. */
  readonly same: Readonly<Record<string, unknown>>;
  /** A fresh input per call (a miss every time), built the same way for every stack. */
  readonly fresh: () => () => Record<string, unknown>;
  /** The body: what the operation returns for `input`. */
  readonly body: (input: any) => number;
}

/** The wide inputs' values: field i is a string, an integer or a boolean (see wideSchemas.ts). */
export function wideKind(i: number): FieldKind {
  return i % 3 === 0 ? 'string' : i % 3 === 1 ? 'int' : 'boolean';
}

function wideInput(fields: number, n: number): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (let i = 0; i < fields; i++) {
    const kind = wideKind(i);
    input[`f${i}`] = kind === 'string' ? (i === 0 ? `value ${n}` : `value ${i}`) : kind === 'int' ? i : i % 2 === 0;
  }
  return input;
}

function counter(start: number): () => number {
  let n = start;
  return () => n++;
}

/** A text of `bytes` ASCII characters: prose with some punctuation. */
export function longText(bytes: number): string {
  const sentence = 'The quick brown fox jumps over the lazy dog, again and again. ';
  return sentence.repeat(Math.ceil(bytes / sentence.length)).slice(0, bytes);
}

const TEXT_10K = longText(10 * 1024);
const TEXT_1M = longText(1024 * 1024);

function textKind(name: string, text: string): InputKind {
  return {
    name,
    schema: TextInput,
    same: Object.freeze({ id: 'doc-1', text }),
    fresh: () => {
      const next = counter(0);
      return () => ({ id: `doc-${next()}`, text });
    },
    body: (input: { id: string; text: string }) => input.id.length + input.text.length,
  };
}

export const REALISTIC: InputKind = {
  name: 'realistic',
  schema: SearchInput,
  same: Object.freeze({ query: 'how do I reset my password', limit: 10, tags: Object.freeze(['account', 'help', 'security']) }),
  fresh: () => {
    const next = counter(0);
    return () => ({ query: `how do I reset my password ${next()}`, limit: 10, tags: ['account', 'help', 'security'] });
  },
  body: (input: { query: string; limit: number; tags: string[] }) => input.query.length + input.limit + input.tags.length,
};

export const NESTED: InputKind = {
  name: 'nested',
  schema: OrderInput,
  same: Object.freeze({
    id: 'order-1',
    items: [
      { sku: 'pen', qty: 2 },
      { sku: 'ink', qty: 1 },
    ],
    window: { from: 1, to: 2 },
  }),
  fresh: () => {
    const next = counter(0);
    return () => ({
      id: `order-${next()}`,
      items: [
        { sku: 'pen', qty: 2 },
        { sku: 'ink', qty: 1 },
      ],
      window: { from: 1, to: 2 },
    });
  },
  body: (input: { id: string; items: unknown[] }) => input.id.length + input.items.length,
};

function wide(fields: number, schema: new () => object): InputKind {
  return {
    name: `${fields} fields`,
    schema,
    same: Object.freeze(wideInput(fields, 0)),
    fresh: () => {
      const next = counter(0);
      return () => wideInput(fields, next());
    },
    body: (input: { f0: string }) => input.f0.length,
  };
}

export const WIDE_10 = wide(10, Wide10Input);
export const WIDE_100 = wide(100, Wide100Input);
export const TEXT_10KB = textKind('10 kB string', TEXT_10K);
export const TEXT_1MB = textKind('1 MB string', TEXT_1M);

/** Every input kind, in table order. */
export const INPUT_KINDS: readonly InputKind[] = [REALISTIC, NESTED, WIDE_10, WIDE_100, TEXT_10KB, TEXT_1MB];

/**
 * A tool with the full pipeline on `kind`: validate, sanitize, cache, per-attempt timeout, retry (the
 * settings of the bench's PipelineTool).
 */
export function pipelineToolFor(
  kind: InputKind,
): new (config: object) => BaseTool & { call(input: object, ctx: ToolContext): Promise<number> } {
  class KindTool extends BaseTool {
    static override toolName = 'bench-input';

    @ValidateInput(kind.schema)
    @Sanitize()
    @CacheResult()
    @Timeout(ATTEMPT_TIMEOUT_MS)
    @Retry({ attempts: RETRY_ATTEMPTS })
    async call(input: object, _ctx: ToolContext): Promise<number> {
      return kind.body(input);
    }
  }
  return KindTool;
}
