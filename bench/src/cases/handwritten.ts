// What a careful user writes by hand instead of the framework, on the same inputs and body (see inputs.ts):
// a stable key (a sorted-key copy, JSON.stringify once, with user and task), a cache with the same size and
// 1 h ttl, strict validation (unknown properties rejected), retry (3 attempts) and a 1 s per-attempt timeout:
//   cv:  class-transformer + class-validator, cockatiel retry + timeout, mnemonist LRUMap;
//   zod: zod strictObject, lru-cache, p-retry, AbortSignal.timeout.
// Each stack is loaded on demand, so the processes measuring the other rows never load its libraries.
// Also the floor of the 1 MB target: one SHA-256 pass over the 1 MB string.
import { hash } from 'node:crypto';
import type { CaseDef } from '../harness';
import { ATTEMPT_TIMEOUT_MS, CACHE_SIZE, CALL_CONTEXT, RETRY_ATTEMPTS } from '../fixtures';
import { REALISTIC, TEXT_1MB, WIDE_100, wideKind, type InputKind } from '../inputs';

const TTL_MS = 3_600_000;

/** A stack: one cached, validated, retried, time-limited call, and how to empty its cache. */
export interface Stack {
  readonly call: (input: Record<string, unknown>, userId: string, taskId: string) => Promise<number>;
  readonly clear: () => void;
}

/** A sorted-key copy of plain data (what JSON.stringify then writes in a stable order). */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) copy[key] = sortedCopy((value as Record<string, unknown>)[key]);
  return copy;
}

/** The key a careful user builds: user, task and the input, key order not mattering. */
export function stableKey(userId: string, taskId: string, input: unknown): string {
  return `${userId}\n${taskId}\n${JSON.stringify(sortedCopy(input))}`;
}

// ---- class-validator + cockatiel + mnemonist ------------------------------------------------------------

export async function classValidatorStack(kind: InputKind, cacheSize = CACHE_SIZE): Promise<Stack> {
  const cv = await import('class-validator');
  const { plainToInstance } = await import('class-transformer');
  const { ExponentialBackoff, handleAll, retry, timeout, TimeoutStrategy, wrap } = await import('cockatiel');

  const LRUMap = require('mnemonist/lru-map') as typeof import('mnemonist/lru-map').default;
  const schema = classValidatorSchema(cv, kind);
  const options: import('class-validator').ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };
  const cache = new LRUMap<string, { value: number; expiresAt: number }>(cacheSize);
  const policy = wrap(
    retry(handleAll, { maxAttempts: RETRY_ATTEMPTS - 1, backoff: new ExponentialBackoff() }),
    timeout(ATTEMPT_TIMEOUT_MS, TimeoutStrategy.Aggressive),
  );
  const call: Stack['call'] = async (input, userId, taskId) => {
    const key = stableKey(userId, taskId, input);
    const cached = cache.get(key);
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.value;
    const instance = plainToInstance(schema, input, { enableImplicitConversion: false }) as object;
    const errors = cv.validateSync(instance, options);
    if (errors.length > 0) throw new Error(`invalid input: ${errors.map((e) => e.property).join(', ')}`);
    const value = await policy.execute(async () => kind.body(instance));
    cache.set(key, { value, expiresAt: Date.now() + TTL_MS });
    return value;
  };
  return { call, clear: () => cache.clear() };
}

/** The input kind's schema with class-validator's own decorators, applied as plain (legacy) calls. */
function classValidatorSchema(cv: typeof import('class-validator'), kind: InputKind): new () => object {
  class Schema {}
  const on = (key: string, ...decorators: PropertyDecorator[]) => decorators.forEach((d) => d(Schema.prototype, key));
  if (kind === REALISTIC) {
    on('query', cv.IsString(), cv.MaxLength(500));
    on('limit', cv.IsInt(), cv.Min(1), cv.Max(100));
    on('tags', cv.IsArray(), cv.ArrayMaxSize(20), cv.IsString({ each: true }));
  } else {
    for (const key of Object.keys(kind.same)) {
      const kindOf = wideKind(Number(key.slice(1)));
      if (kindOf === 'string') on(key, cv.IsString(), cv.MaxLength(64));
      else if (kindOf === 'int') on(key, cv.IsInt(), cv.Min(0));
      else on(key, cv.IsBoolean());
    }
  }
  return Schema;
}

// ---- zod + lru-cache + p-retry + AbortSignal.timeout -----------------------------------------------------

export async function zodStack(kind: InputKind, cacheSize = CACHE_SIZE): Promise<Stack> {
  const { z } = await import('zod');
  const { LRUCache } = await import('lru-cache');
  const pRetry = (await import('p-retry')).default;
  let schema: import('zod').ZodType;
  if (kind === REALISTIC) {
    schema = z.strictObject({ query: z.string().max(500), limit: z.number().int().min(1).max(100), tags: z.array(z.string()).max(20) });
  } else {
    const shape: Record<string, import('zod').ZodType> = {};
    for (const key of Object.keys(kind.same)) {
      const kindOf = wideKind(Number(key.slice(1)));
      shape[key] = kindOf === 'string' ? z.string().max(64) : kindOf === 'int' ? z.number().int().min(0) : z.boolean();
    }
    schema = z.strictObject(shape);
  }
  const cache = new LRUCache<string, number>({ max: cacheSize, ttl: TTL_MS });
  const call: Stack['call'] = async (input, userId, taskId) => {
    const key = stableKey(userId, taskId, input);
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const parsed = schema.parse(input);
    const value = await pRetry(
      async () => {
        const signal = AbortSignal.timeout(ATTEMPT_TIMEOUT_MS);
        signal.throwIfAborted();
        return kind.body(parsed);
      },
      { retries: RETRY_ATTEMPTS - 1 },
    );
    cache.set(key, value);
    return value;
  };
  return { call, clear: () => cache.clear() };
}

// ---- rows ------------------------------------------------------------------------------------------------

/** The stacks, by the name their rows carry. */
export const STACKS = { cv: 'hand cv+cockatiel+mnemonist', zod: 'hand zod+lru-cache+p-retry' } as const;

/** Row names: `<stack> <kind> hit|miss`. */
export const handRow = (stack: keyof typeof STACKS, kind: InputKind, what: 'hit' | 'miss'): string =>
  `${STACKS[stack]} ${kind.name} ${what}`;

function stackCases(stack: keyof typeof STACKS, build: (kind: InputKind) => Promise<Stack>, kind: InputKind): CaseDef[] {
  const { userId, taskId } = CALL_CONTEXT as { userId: string; taskId: string };
  return [
    {
      name: handRow(stack, kind, 'hit'),
      create: async () => {
        const { call } = await build(kind);
        await call(kind.same as Record<string, unknown>, userId, taskId);
        return { fn: () => call(kind.same as Record<string, unknown>, userId, taskId), expect: kind.body(kind.same) };
      },
    },
    {
      name: handRow(stack, kind, 'miss'),
      create: async () => {
        const { call } = await build(kind);
        const next = kind.fresh();
        return { fn: () => call(next(), userId, taskId) };
      },
    },
  ];
}

/** The floor of the 1 MB rows' target: SHA-256 of the 1 MB string (its UTF-8 bytes), once. */
export const SHA256_1MB_ROW = 'sha256 of the 1 MB string';

export const handwrittenCases: readonly CaseDef[] = [
  ...[REALISTIC, WIDE_100].flatMap((kind) => [...stackCases('cv', classValidatorStack, kind), ...stackCases('zod', zodStack, kind)]),
  {
    name: SHA256_1MB_ROW,
    create: () => {
      const text = (TEXT_1MB.same as { text: string }).text;
      return { fn: () => hash('sha256', text, 'hex').length, expect: 64 };
    },
  },
];
