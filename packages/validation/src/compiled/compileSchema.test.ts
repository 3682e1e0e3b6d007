import { InputValidationError } from '@aiecs/core';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  Equals,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Type,
  ValidateIf,
  ValidateNested,
} from '../decorators';
import { adaptLegacyDecorator } from '../bridge/adaptLegacyDecorator';
import { buildInputValidator } from '../strictValidator';
import { compileSchema, INVALID, UNDECIDED_INPUT } from './compileSchema';

// ---- Schemas using every rule the compiler knows, and a custom one it calls through its constraint ----

enum Colour {
  Red = 'red',
  Green = 'green',
}

/** A custom synchronous constraint (no built-in name): checked through its constraint instance. */
const IsEven = adaptLegacyDecorator(
  'IsEven',
  (options?: ValidationOptions) => (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isEven',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: { validate: (v: unknown) => typeof v === 'number' && v % 2 === 0 },
    }),
);

class Tag {
  @IsString() @MinLength(1) @MaxLength(8) label!: string;
  @IsOptional() @IsInt() @Min(0) weight?: number;
}

class Address {
  @IsString() @Length(2, 20) street!: string;
  @Matches(/^[0-9]{5}$/) zip!: string;
  @IsOptional() @IsIn(['fr', 'de']) country?: string;
}

class Everything {
  @IsString() @IsNotEmpty() @MaxLength(30) query!: string;
  @IsInt() @Min(1) @Max(100) limit!: number;
  @IsArray() @ArrayMinSize(0) @ArrayMaxSize(4) @IsString({ each: true }) tags!: string[];
  @IsOptional() @IsNumber() @IsPositive() score?: number;
  @IsBoolean() exact: boolean = false;
  @IsOptional() @IsEnum(Colour) colour?: Colour;
  @IsOptional() @IsEmail() email?: string;
  @IsOptional() @IsUUID() id?: string;
  @IsOptional() @IsUrl() site?: string;
  @IsOptional() @IsISO8601() since?: string;
  @IsOptional() @IsEven() even?: number;
  @IsDefined() @Equals('v1') version!: string;
  @ValidateIf((o: Everything) => o.exact) @IsString() reason?: string;
  @ValidateNested() @Type(() => Address) address!: Address;
  @IsOptional() @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => Tag) labels?: Tag[];
}

/** A recursive schema: depth is bounded by maxDepth, not by the schema. */
class TreeNode {
  @IsString() name!: string;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => TreeNode) children?: TreeNode[];
}

// ---- Inputs: mostly near-valid, with every kind of mistake --------------------------------------

const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 200 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', 'red', 'v1', '12345', 'ann@example.com', '2024-01-02T03:04:05Z'),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
  fc.constant({}),
  fc.dictionary(fc.constantFrom('a', 'label'), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);

/** A valid value most of the time, junk otherwise. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: junk });

const tag = fc.record(
  { label: mostly(fc.string({ minLength: 1, maxLength: 8 })), weight: mostly(fc.integer({ min: 0, max: 5 })) },
  { requiredKeys: ['label'] },
);
const address = fc.record(
  {
    street: mostly(fc.string({ minLength: 2, maxLength: 20 })),
    zip: mostly(fc.stringMatching(/^[0-9]{5}$/)),
    country: mostly(fc.constantFrom('fr', 'de')),
  },
  { requiredKeys: ['street', 'zip'] },
);
const everything = fc.record(
  {
    query: mostly(fc.string({ minLength: 1, maxLength: 30 })),
    limit: mostly(fc.integer({ min: 1, max: 100 })),
    tags: mostly(fc.array(mostly(fc.string({ maxLength: 5 })), { maxLength: 4 })),
    score: mostly(fc.double({ min: 0.001, max: 10, noNaN: true })),
    exact: mostly(fc.boolean()),
    colour: mostly(fc.constantFrom('red', 'green')),
    email: mostly(fc.constantFrom('ann@example.com', 'not-an-email', 'b@c.de')),
    id: mostly(fc.uuid()),
    site: mostly(fc.constantFrom('https://example.com/a', 'http://example.org')),
    since: mostly(fc.constantFrom('2024-01-02', '2024-01-02T03:04:05Z')),
    even: mostly(fc.constantFrom(0, 2, 4)),
    version: mostly(fc.constant('v1')),
    reason: mostly(fc.string({ maxLength: 4 })),
    address: mostly(address),
    labels: mostly(fc.array(mostly(tag), { minLength: 1, maxLength: 3 })),
    unknown: junk, // an undeclared key: only an undefined value passes
  },
  { requiredKeys: ['query', 'limit', 'tags', 'exact', 'version', 'address'] },
);
const tree: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.record(
    {
      name: mostly(fc.string({ maxLength: 3 })),
      children: fc.oneof({ depthSize: 'small' }, junk, fc.array(tie('node'), { maxLength: 2 })),
    },
    { requiredKeys: ['name'] },
  ),
})).node;

// ---- The property ---------------------------------------------------------------------------------

type Outcome = { readonly instance: object } | { readonly paths: readonly string[] };

/** The general path's outcome (plainToInstance + validateSync + the strict checks), the reference. */
function reference(validate: (input: unknown) => object, input: unknown): Outcome {
  try {
    return { instance: validate(input) };
  } catch (error) {
    if (!(error instanceof InputValidationError)) throw error;
    return { paths: error.errors.map((e) => e.path).sort() };
  }
}

/**
 * Runs the compiled check and the general path on generated inputs: the compiled check must give the
 * general path's verdict, its failing paths, and on success an identical instance, whenever it decides;
 * and it must decide all but `undecidedShare` of the inputs (the rest: arrays in arrays, Dates, depth).
 */
function expectSameAsGeneralPath(schema: new () => object, inputs: fc.Arbitrary<unknown>, maxDepth: number, undecidedShare: number): void {
  const general = buildInputValidator(schema, { maxDepth }, undefined, false);
  const compiled = compileSchema(schema, maxDepth);
  if (!('check' in compiled)) throw new Error(`not compiled: ${compiled.reason}`);
  const counts = { valid: 0, invalid: 0, undecided: 0 };
  fc.assert(
    fc.property(inputs, (input) => {
      const failures = new Set<string>();
      const answer = compiled.check(input, failures);
      const expected = reference(general, input);
      if (answer === UNDECIDED_INPUT) {
        counts.undecided++;
        return;
      }
      if (answer === INVALID) {
        counts.invalid++;
        expect('paths' in expected ? expected.paths : 'valid').toEqual([...failures].sort());
      } else {
        counts.valid++;
        if (!('instance' in expected)) throw new Error(`compiled accepts what the general path refuses (${expected.paths.join(', ')})`);
        // Same classes, same values, same keys: isDeepStrictEqual compares prototypes too.
        expect(isDeepStrictEqual(answer, expected.instance)).toBe(true);
      }
    }),
    { numRuns: Number(process.env.COMPILED_RUNS ?? 1000), seed: 14 },
  );
  // The generators must exercise both verdicts, and the compiled path must decide almost every input.
  expect(counts.valid).toBeGreaterThan(50);
  expect(counts.invalid).toBeGreaterThan(50);
  expect(counts.undecided).toBeLessThan(undecidedShare * (counts.valid + counts.invalid + counts.undecided));
}

/** Lengths class-validator counts in characters: a surrogate pair and a variation selector are one or none. */
class Lengths {
  @IsString() @MaxLength(4) short!: string;
  @IsOptional() @IsString() @MinLength(2) @MaxLength(6) mid?: string;
}

const lengthUnit = fc.constantFrom('a', 'é', '😀', '\ufe0f', '\ufe0e', '\ud800', '\udc00');
const lengths = fc.record(
  { short: fc.string({ unit: lengthUnit, maxLength: 7 }), mid: fc.string({ unit: lengthUnit, maxLength: 9 }) },
  { requiredKeys: ['short'] },
);

describe('compiled validation: same verdict and failing fields as class-transformer + class-validator', () => {
  it('a schema with every compiled rule, nested objects and arrays, a custom constraint and ValidateIf', () => {
    expectSameAsGeneralPath(Everything, everything, 32, 0.05);
  });

  it('string lengths as class-validator counts them (surrogate pairs, variation selectors) around the limits', () => {
    expectSameAsGeneralPath(Lengths, lengths, 32, 0.01);
  });

  it('inputs whose keys change from call to call: each judged by its own keys', () => {
    const { check } = compileSchema(Lengths, 32) as { check: (input: unknown, failures?: Set<string>) => unknown };
    buildInputValidator(Lengths, {}, undefined, false);
    const failures = new Set<string>();
    expect(check({ short: 'ab', mid: 'abc' })).toBeInstanceOf(Lengths);
    expect(check({ mid: 'abc', short: 'ab' })).toBeInstanceOf(Lengths);
    expect(check({ short: 'ab', extra: 1 }, failures)).toBe(INVALID);
    expect([...failures]).toEqual(['extra']);
    expect(check({ short: 'ab', mid: 'abc' })).toEqual(Object.assign(new Lengths(), { short: 'ab', mid: 'abc' }));
    expect(check({ short: 'ab', mid: 5 })).toBe(INVALID);
  });

  it('a recursive schema, within maxDepth (beyond it: undecided)', () => {
    expectSameAsGeneralPath(TreeNode, tree, 5, 0.5);
  });

  it('leaves to the general path what it does not reproduce', () => {
    const { check } = compileSchema(TreeNode, 32) as { check: (input: unknown) => unknown };
    buildInputValidator(TreeNode, {}, undefined, false); // prepared
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.children = [cyclic];
    expect(check(cyclic)).toBe(UNDECIDED_INPUT); // cycles and depth: the depth walk names them
    expect(check(JSON.parse('{"name":"a","__proto__":{}}'))).toBe(UNDECIDED_INPUT);
    expect(check({ name: 'a', children: [new Date(0)] })).toBe(UNDECIDED_INPUT);
    expect(
      check({
        name: 'a',
        get children(): never {
          throw new Error('getter');
        },
      }),
    ).toBe(UNDECIDED_INPUT);
  });

  it('names the reason a schema is not compiled', () => {
    class WithDate {
      @Type(() => Date) @IsOptional() at?: Date;
    }
    buildInputValidator(WithDate, {}, undefined, false);
    expect(compileSchema(WithDate, 32)).toEqual({ reason: expect.stringContaining('WithDate.at') });
  });
});
