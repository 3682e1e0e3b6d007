// The pieces of the pipeline alone, on the same input: key, store, validation, sanitising, cockatiel policies.
import { generateCacheKey, MemoryCacheStore } from '@aiecs/executor';
import { createInputValidator } from '@aiecs/validation';
import { plainToInstance } from 'class-transformer';
import * as cv from 'class-validator';
import { ExponentialBackoff, handleAll, retry, timeout, TimeoutStrategy, wrap, type IPolicy } from 'cockatiel';
// Not exported by @aiecs/executor: the same function the sanitize stage builds once per operation.
import { createSanitizer } from '../../../packages/executor/src/security/sanitizeInput';
// Not exported either: the general path alone (the compiled check off), and the operation key function.
import { buildInputValidator } from '../../../packages/validation/src/strictValidator';
import { operationKeyFunction } from '../../../packages/executor/src/cache/callKey';
import type { CaseDef } from '../harness';
import { REALISTIC, WIDE_100, type InputKind } from '../inputs';
import { AddInput, ATTEMPT_TIMEOUT_MS, CACHE_SIZE, CALL_CONTEXT, EXPECTED, PlainTool, RETRY_ATTEMPTS, SAME_INPUT } from '../fixtures';

/** The parts the cache lookup stage hashes: tool, operation, user, task, raw input. */
const KEY_PARTS: readonly unknown[] = ['bench', 'add', CALL_CONTEXT.userId, CALL_CONTEXT.taskId, SAME_INPUT];

/** The options @aiecs/validation passes to the libraries. */
const TRANSFORM_OPTIONS = { enableImplicitConversion: false };
const VALIDATOR_OPTIONS: cv.ValidatorOptions = {
  whitelist: false,
  forbidUnknownValues: true,
  skipMissingProperties: false,
  stopAtFirstError: false,
  validationError: { target: false, value: false },
};

/** The raw libraries' schema: class-validator's own (legacy-signature) decorators, applied as plain calls. */
function rawSchema(): new () => object {
  class RawAddInput {
    a!: number;
    b!: string;
    c?: boolean;
  }
  cv.IsNumber()(RawAddInput.prototype, 'a');
  cv.IsString()(RawAddInput.prototype, 'b');
  cv.IsOptional()(RawAddInput.prototype, 'c');
  cv.IsBoolean()(RawAddInput.prototype, 'c');
  return RawAddInput;
}

function policyCase(policy: IPolicy) {
  const plain = new PlainTool();
  const call = () => plain.add(SAME_INPUT);
  return { fn: () => policy.execute(call), expect: EXPECTED };
}

const retryPolicy = () => retry(handleAll, { maxAttempts: RETRY_ATTEMPTS - 1, backoff: new ExponentialBackoff() });
const timeoutPolicy = () => timeout(ATTEMPT_TIMEOUT_MS, TimeoutStrategy.Aggressive);

/** Validation of `kind`'s fixed input: compiled (what the pipeline runs) or the general path alone. */
function validationCase(kind: InputKind, compiled: boolean): CaseDef {
  return {
    name: `validate ${kind.name}: ${compiled ? 'compiled (createInputValidator)' : 'general path (plainToInstance+validateSync+strict checks)'}`,
    create: () => {
      const validate = buildInputValidator(kind.schema, {}, 'call', compiled);
      return { fn: () => kind.body(validate(kind.same)), expect: kind.body(kind.same) };
    },
  };
}

export const pieceCases: readonly CaseDef[] = [
  ...[REALISTIC, WIDE_100].flatMap((kind) => [validationCase(kind, true), validationCase(kind, false)]),
  {
    name: 'key realistic: operation key (raw text, in-memory store)',
    create: () => {
      const keyOf = operationKeyFunction('bench-input', 'call', true);
      const { userId, taskId } = CALL_CONTEXT as { userId: string; taskId: string };
      const expected = keyOf(userId, taskId, REALISTIC.same)!.length;
      return { fn: () => keyOf(userId, taskId, REALISTIC.same)!.length, expect: expected };
    },
  },
  {
    name: 'key: generateCacheKey',
    create: () => ({ fn: () => generateCacheKey(KEY_PARTS), expect: generateCacheKey(KEY_PARTS) }),
  },
  {
    name: 'store: MemoryCacheStore.get hit',
    create: () => {
      const key = generateCacheKey(KEY_PARTS);
      // As in the tools: an LRU of CACHE_SIZE entries with the default 1 h ttl (so `get` reads the clock).
      const store = new MemoryCacheStore({ maxSize: CACHE_SIZE, defaultTtlMs: 3_600_000 });
      store.set(key, EXPECTED, 3_600_000);
      return { fn: () => store.get(key), expect: EXPECTED };
    },
  },
  {
    name: 'validate: createInputValidator',
    create: () => {
      const validate = createInputValidator(AddInput, {}, 'add');
      return { fn: () => validate(SAME_INPUT).a, expect: SAME_INPUT.a };
    },
  },
  {
    name: 'validate: plainToInstance+validateSync',
    create: () => {
      const schema = rawSchema();
      return { fn: () => cv.validateSync(plainToInstance(schema, SAME_INPUT, TRANSFORM_OPTIONS), VALIDATOR_OPTIONS).length, expect: 0 };
    },
  },
  {
    name: 'sanitize: createSanitizer',
    create: () => {
      const sanitize = createSanitizer({});
      return { fn: () => sanitize(SAME_INPUT) };
    },
  },
  { name: 'cockatiel retry', create: () => policyCase(retryPolicy()) },
  { name: 'cockatiel timeout', create: () => policyCase(timeoutPolicy()) },
  { name: 'cockatiel retry+timeout', create: () => policyCase(wrap(retryPolicy(), timeoutPolicy())) },
];
