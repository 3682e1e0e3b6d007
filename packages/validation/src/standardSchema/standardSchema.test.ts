import { InputValidationError } from '@aiecs/core';
import { toStandardJsonSchema } from '@valibot/to-json-schema';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import * as v from 'valibot';
import { z } from 'zod';
import { jsonSchemaOf } from '../jsonSchema/jsonSchemaOf';
import { createStandardValidator } from './standardValidator';

/** The rejection of `run(input)`, sync or async. */
async function rejection(run: () => unknown): Promise<InputValidationError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputValidationError);
    return error as InputValidationError;
  }
  throw new Error('expected a rejection');
}

const zodOrder = z.strictObject({
  email: z.email(),
  items: z.array(z.strictObject({ name: z.string().min(1), qty: z.number().int().positive() })).min(1),
  note: z.string().max(20).optional(),
});

const valibotOrder = v.strictObject({
  email: v.pipe(v.string(), v.email()),
  items: v.pipe(
    v.array(v.strictObject({ name: v.pipe(v.string(), v.minLength(1)), qty: v.pipe(v.number(), v.integer(), v.minValue(1)) })),
    v.minLength(1),
  ),
  note: v.optional(v.pipe(v.string(), v.maxLength(20))),
});

describe.each([
  ['zod 4', zodOrder],
  ['valibot', valibotOrder],
])('a %s schema', (_name, schema) => {
  const check = createStandardValidator(schema, {}, 'order');

  it('returns the output for a valid input', async () => {
    const input = { email: 'a@example.com', items: [{ name: 'x', qty: 2 }] };
    await expect(Promise.resolve(check(input))).resolves.toEqual(input);
  });

  it('turns issues into one InputValidationError with dotted field paths', async () => {
    const error = await rejection(() => check({ email: 'nope', items: [{ name: '', qty: 1.5 }] }));
    expect(error.operation).toBe('order');
    expect(error.errors.map((e) => e.path).sort()).toEqual(['email', 'items.0.name', 'items.0.qty']);
    for (const field of error.errors)
      expect(Object.values(field.constraints).every((m) => typeof m === 'string' && m.length > 0)).toBe(true);
  });

  it('refuses cyclic and prototype-key inputs before the library sees them', async () => {
    const cyclic: Record<string, unknown> = { email: 'a@example.com' };
    cyclic.items = [cyclic];
    expect((await rejection(() => check(cyclic))).errors[0]!.constraints).toHaveProperty('circular');
    const polluted = JSON.parse('{"email":"a@example.com","items":[{"name":"x","qty":1,"__proto__":{"admin":true}}]}');
    expect((await rejection(() => check(polluted))).errors[0]).toMatchObject({
      path: 'items.0.__proto__',
      constraints: { forbiddenKey: expect.any(String) },
    });
  });
});

describe('JSON Schema of Standard Schemas', () => {
  const ajv = addFormats(new Ajv2020({ strict: false }));

  it('zod 4: from its own converter (~standard.jsonSchema), draft 2020-12, no warning', () => {
    const { schema, warnings } = jsonSchemaOf(zodOrder);
    expect(warnings).toEqual([]);
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      required: ['email', 'items'],
      properties: { email: { type: 'string', format: 'email' }, items: { type: 'array', minItems: 1 } },
    });
    expect(jsonSchemaOf(zodOrder)).toBe(jsonSchemaOf(zodOrder));
    expect(Object.isFrozen(schema)).toBe(true);
    const validate = ajv.compile(schema);
    expect(validate({ email: 'a@example.com', items: [{ name: 'x', qty: 2 }] })).toBe(true);
    expect(validate({ email: 'a@example.com', items: [{ name: 'x', qty: 2 }], extra: 1 })).toBe(false);
  });

  it('valibot: from @valibot/to-json-schema (plain schema) and from toStandardJsonSchema', () => {
    for (const schema of [valibotOrder, toStandardJsonSchema(valibotOrder)]) {
      const result = jsonSchemaOf(schema);
      expect(result.warnings).toEqual([]);
      expect(result.schema).toMatchObject({
        type: 'object',
        required: ['email', 'items'],
        properties: { note: { type: 'string', maxLength: 20 } },
      });
      expect(ajv.compile(result.schema)({ email: 'a@example.com', items: [] })).toBe(false);
    }
  });

  it('what a converter cannot express is a warning, not a silent gap', () => {
    const { schema, warnings } = jsonSchemaOf(z.object({ when: z.date(), name: z.string() }));
    expect(warnings).toEqual([
      expect.objectContaining({ field: '', constraint: 'zod schema', reason: expect.stringContaining('cannot express') }),
    ]);
    expect(schema).toMatchObject({ properties: { name: { type: 'string' } } });
  });

  it('valibot: what @valibot/to-json-schema cannot express is a warning too', () => {
    const { schema, warnings } = jsonSchemaOf(v.object({ when: v.date(), name: v.string() }));
    expect(warnings).toEqual([
      expect.objectContaining({ constraint: 'valibot schema', reason: expect.stringContaining('cannot express') }),
    ]);
    expect(schema).toMatchObject({ properties: { name: { type: 'string' } } });
  });

  it('a library without a converter: a warning, and a schema that accepts anything', () => {
    const bare = { '~standard': { version: 1 as const, vendor: 'bare', validate: (value: unknown) => ({ value }) } };
    const { schema, warnings } = jsonSchemaOf(bare);
    expect(warnings).toEqual([
      expect.objectContaining({ constraint: 'bare schema', reason: expect.stringContaining('no JSON Schema converter') }),
    ]);
    expect(schema).toEqual({ $schema: 'https://json-schema.org/draft/2020-12/schema' });
  });
});

describe('async Standard Schemas', () => {
  it('resolves with the output or rejects with InputValidationError', async () => {
    const schema = z.object({ n: z.number() }).refine(async (o) => o.n > 0, { message: 'n must be positive', path: ['n'] });
    const check = createStandardValidator(schema);
    await expect(check({ n: 2 })).resolves.toEqual({ n: 2 });
    const error = await rejection(() => check({ n: -1 }));
    expect(error.errors).toEqual([{ path: 'n', constraints: { custom: 'n must be positive' } }]);
  });
});
