import { InputValidationError, isStandardSchema, PIPELINE_CONTEXT, ValidateInput } from '@aiecs/core';
import { BaseTool } from '../BaseTool';
import { IsString } from '@aiecs/validation';
import { z } from 'zod';
import { validate } from './validate';
import { build, closeServices, fakeNext, makeCall, planOf, sources } from './concern.testkit';

afterEach(closeServices);

class ReadInput {
  @IsString() path!: string;
}

class OtherInput {
  @IsString() name!: string;
}

/** A tool class following the seed's `<Op>Schema` convention. */
class ConventionalTool {
  static ReadSchema = OtherInput;
}

describe('validate plan', () => {
  it('uses @ValidateInput, else the conventional ReadSchema, else is undefined', () => {
    const declared = { validate: { schema: ReadInput, options: { maxDepth: 4 } } };
    expect(validate.plan(sources({ declared, toolClass: ConventionalTool }))).toBe(declared.validate);
    expect(validate.plan(sources({ toolClass: ConventionalTool }))).toEqual({ schema: OtherInput, options: {} });
    expect(validate.plan(sources())).toBeUndefined();
  });
});

describe('validate stage', () => {
  const plan = planOf(validate, { declared: { validate: { schema: ReadInput, options: {} } } });

  it('hands next the validated schema instance instead of the raw input, and the same call', async () => {
    const { stage } = build(validate, plan);
    const next = fakeNext();
    const call = makeCall();
    const raw = { path: 'a.txt' };

    await expect(stage.wrap(next)(call, raw)).resolves.toBe('result');
    const [passedCall, passedInput] = next.mock.calls[0]!;
    expect(passedCall).toBe(call);
    expect(passedInput).toBeInstanceOf(ReadInput);
    expect(passedInput).not.toBe(raw);
    expect(passedInput).toEqual(Object.assign(new ReadInput(), raw));
  });

  it('rejects an invalid input with InputValidationError naming the field, without calling next', async () => {
    const { stage } = build(validate, plan);
    const next = fakeNext();

    const error = await stage
      .wrap(next)(makeCall(), { path: 42 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).errors.map((e) => e.path)).toEqual(['path']);
    expect((error as InputValidationError).operation).toBe('read');
    expect(next).not.toHaveBeenCalled();
  });

  it('refuses properties the schema does not declare (strict by default)', async () => {
    const { stage } = build(validate, plan);
    await expect(stage.wrap(fakeNext())(makeCall(), { path: 'a', extra: true })).rejects.toBeInstanceOf(InputValidationError);
  });
});

describe('validate stage with a Standard Schema (zod 4)', () => {
  const schema = z.strictObject({ path: z.string().min(1), depth: z.number().int().optional() });
  const plan = planOf(validate, { declared: { validate: { schema, options: {} } } });

  it("hands next the schema's output", async () => {
    const { stage } = build(validate, plan);
    const next = fakeNext();
    await expect(stage.wrap(next)(makeCall(), { path: 'a.txt' })).resolves.toBe('result');
    expect(next.mock.calls[0]![1]).toEqual({ path: 'a.txt' });
  });

  it('rejects with InputValidationError naming each field, without calling next', async () => {
    const { stage } = build(validate, plan);
    const next = fakeNext();
    const error = await stage
      .wrap(next)(makeCall(), { path: '', depth: 1.5, extra: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).errors.map((e) => e.path).sort()).toEqual(['', 'depth', 'path']);
    expect((error as InputValidationError).operation).toBe('read');
    expect(next).not.toHaveBeenCalled();
  });

  it('waits for an async schema before calling next', async () => {
    const asyncPlan = planOf(validate, {
      declared: { validate: { schema: z.object({ n: z.number() }).refine(async (o) => o.n > 0), options: {} } },
    });
    const { stage } = build(validate, asyncPlan);
    const next = fakeNext();
    await expect(stage.wrap(next)(makeCall(), { n: -1 })).rejects.toBeInstanceOf(InputValidationError);
    expect(next).not.toHaveBeenCalled();
    await expect(stage.wrap(next)(makeCall(), { n: 1 })).resolves.toBe('result');
  });
});

describe('@ValidateInput with a Standard Schema, through a tool', () => {
  class GreetTool extends BaseTool {
    @ValidateInput(z.strictObject({ name: z.string().min(1), times: z.number().int().positive().default(1) }))
    async greet(input: { name: string; times: number }, _ctx = PIPELINE_CONTEXT): Promise<string> {
      return `hello ${input.name}`.repeat(input.times);
    }
  }

  it("runs the method with the schema's output (defaults applied)", async () => {
    await using tool = new GreetTool();
    await expect(tool.run('greet', { name: 'ada' } as never)).resolves.toBe('hello ada');
    await expect(tool.greet({ name: 'x', times: 2 })).resolves.toBe('hello xhello x');
  });

  it('rejects with InputValidationError listing each field, as for schema classes', async () => {
    await using tool = new GreetTool();
    const error = await tool.run('greet', { name: '', times: 0, extra: true } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    const fields = (error as InputValidationError).errors;
    expect(fields.map((f) => f.path).sort()).toEqual(['', 'name', 'times']);
    expect(fields.find((f) => f.path === '')!.constraints).toHaveProperty('unrecognized_keys');
  });

  it('accepts function-shaped Standard Schemas (arktype) and refuses what is neither a class nor a schema', () => {
    const callable = Object.assign(() => undefined, {
      '~standard': { version: 1 as const, vendor: 'arktype-like', validate: (value: unknown) => ({ value }) },
    });
    expect(isStandardSchema(callable)).toBe(true);
    expect(isStandardSchema(z.string())).toBe(true);
    expect(isStandardSchema(ReadInput)).toBe(false);
    expect(() => ValidateInput({ '~standard': { version: 2 } } as never)).toThrow(TypeError);
  });
});
