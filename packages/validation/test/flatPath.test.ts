import { InputValidationError, type FieldError } from '@aiecs/core';
import * as classTransformer from 'class-transformer';
import { plainToInstance } from 'class-transformer';
import * as classValidator from 'class-validator';
import {
  adaptLegacyDecorator,
  createInputValidator,
  Exclude,
  Expose,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  prepareSchema,
  Transform,
  Type,
  ValidateNested,
} from '../src';
import { assignableProperties, instantiateFlat } from '../src/strict/flatInstance';
import { inputShape } from '../src/strict/inputShape';
import { checkStructure } from '../src/strict/structure';

// Flat inputs of classes without class-transformer metadata on their keys skip plainToInstance
// (instantiateFlat). These tests check that nothing observable changes.

class Flat3 {
  @IsInt()
  a!: number;
  @IsString()
  b!: string;
  @IsOptional()
  @IsBoolean()
  c?: boolean;
}

class WithDefaults {
  @IsString()
  role = 'user';
  @IsOptional()
  @IsInt()
  retries = 3;
  @IsOptional()
  @IsBoolean()
  verbose?: boolean;
}

class WithFunctionDefault {
  @IsOptional()
  @IsString()
  format: unknown = (value: string) => value;
}

class Child extends Flat3 {
  @IsString()
  d!: string;
}

class WithUndecoratedField {
  @IsString()
  name!: string;
  note = 'n';
}

class Each {
  @IsString({ each: true })
  tags!: string[];
}

class Address {
  @IsString()
  street!: string;
}

class WithOptionalNested {
  @IsString()
  name!: string;
  @IsOptional()
  @ValidateNested()
  @Type(() => Address)
  address?: Address;
}

/**
 * Same prototype, same own keys in the same order, same values: primitives identical, objects
 * compared the same way, functions only as functions (each instance has its own closure).
 */
function expectSameInstance(actual: object, expected: object): void {
  expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected));
  expect(Reflect.ownKeys(actual)).toEqual(Reflect.ownKeys(expected));
  for (const key of Reflect.ownKeys(expected)) {
    const [a, e] = [(actual as Record<PropertyKey, unknown>)[key], (expected as Record<PropertyKey, unknown>)[key]];
    if (typeof e === 'function') expect(typeof a).toBe('function');
    else if (typeof e === 'object' && e !== null) expectSameInstance(a as object, e);
    else expect(a).toBe(e);
  }
}

type Outcome = { readonly instance: object } | { readonly errors: readonly FieldError[] };

function outcome(validate: (input: unknown) => object, input: unknown): Outcome {
  try {
    return { instance: validate(input) };
  } catch (error) {
    if (!(error instanceof InputValidationError)) throw error;
    return { errors: error.errors };
  }
}

function expectSameOutcome(actual: Outcome, expected: Outcome): void {
  if ('errors' in expected) expect(actual).toEqual(expected);
  else if ('instance' in actual) expectSameInstance(actual.instance, expected.instance);
  else throw new Error(`expected an instance, got errors ${JSON.stringify(actual.errors)}`);
}

const nullPrototype = (fields: Record<string, unknown>) => Object.assign(Object.create(null) as object, fields);

describe('flat fast path: createInputValidator', () => {
  let plainToInstanceSpy: jest.SpyInstance;
  beforeEach(() => {
    plainToInstanceSpy = jest.spyOn(classTransformer, 'plainToInstance');
  });
  afterEach(() => plainToInstanceSpy.mockRestore());

  /**
   * A fresh validator's first call always goes through plainToInstance (the schema is prepared
   * during that call); later calls take the fast path when they can. Both must give the same outcome.
   */
  function expectFirstAndLaterCallsAgree(schema: new () => object, input: () => unknown, fast: boolean, options = {}): Outcome {
    const validate = createInputValidator(schema, options);
    const first = outcome(validate, input());
    plainToInstanceSpy.mockClear();
    const later = outcome(validate, input());
    expectSameOutcome(later, first);
    expect(plainToInstanceSpy).toHaveBeenCalledTimes(fast ? 0 : 1);
    return later;
  }

  it.each<[string, new () => object, () => unknown]>([
    ['all fields', Flat3, () => ({ a: 1, b: 'xy', c: true })],
    ['an optional field absent', Flat3, () => ({ a: 1, b: 'xy' })],
    ['keys in another order', Flat3, () => ({ c: false, b: 'xy', a: 1 })],
    ['explicit undefined and null', Flat3, () => ({ a: 1, b: 'xy', c: undefined })],
    ['values needing a conversion (none is made)', Flat3, () => ({ a: '1', b: 2, c: 'true' })],
    ['null values', Flat3, () => ({ a: null, b: null, c: null })],
    ['no keys', Flat3, () => ({})],
    ['a null-prototype input', Flat3, () => nullPrototype({ a: 1, b: 'xy', c: true })],
    ['defaults kept when absent', WithDefaults, () => ({})],
    ['defaults replaced', WithDefaults, () => ({ role: 'admin', retries: 5, verbose: true })],
    ['a default replaced by undefined', WithDefaults, () => ({ role: undefined })],
    ['a function default kept, as plainToInstance keeps it', WithFunctionDefault, () => ({ format: 'x' })],
    ['inherited fields', Child, () => ({ a: 1, b: 'xy', d: 'z' })],
    ['an undecorated field with an initialiser (reported as unknown)', WithUndecoratedField, () => ({ name: 'x' })],
    ['a single value for an each rule', Each, () => ({ tags: 'x' })],
    ['an optional nested object absent', WithOptionalNested, () => ({ name: 'x' })],
    // Not flat, but compiled (compiled/compileSchema.ts): no plainToInstance either.
    ['a nested object', WithOptionalNested, () => ({ name: 'x', address: { street: 's' } })],
    ['an array', Each, () => ({ tags: ['a'] })],
  ])('%s: same outcome as plainToInstance, without it', (_label, schema, input) => {
    expectFirstAndLaterCallsAgree(schema, input, true);
  });

  it.each<[string, new () => object, () => unknown]>([
    ['an unknown key', Flat3, () => ({ a: 1, b: 'xy', zzz: 1 })],
    ['an unknown key named like an Object.prototype method', Flat3, () => ({ a: 1, b: 'xy', toString: 'x' })],
    ['an undecorated field set by the input', WithUndecoratedField, () => ({ name: 'x', note: 'y' })],
    ['a function value', Flat3, () => ({ a: 1, b: 'xy', c: () => true })],
  ])('%s: goes through plainToInstance', (_label, schema, input) => {
    expectFirstAndLaterCallsAgree(schema, input, false);
  });

  it.each<[string, () => unknown]>([
    ['an own __proto__ key', () => JSON.parse('{"a": 1, "b": "xy", "__proto__": 1}')],
    ['a constructor key', () => ({ a: 1, b: 'xy', constructor: 'x' })],
  ])('%s: refused before plainToInstance, or stripped by it when unknown keys are allowed', (_label, input) => {
    const refused = expectFirstAndLaterCallsAgree(Flat3, input, true);
    expect('errors' in refused && refused.errors.map((e) => Object.keys(e.constraints))).toEqual([['forbiddenKey']]);
    const stripped = expectFirstAndLaterCallsAgree(Flat3, input, false, { forbidUnknown: false });
    expect(stripped).toEqual({ instance: Object.assign(new Flat3(), { a: 1, b: 'xy' }) });
  });

  it('strips unknown keys the same way when forbidUnknown is false', () => {
    const result = expectFirstAndLaterCallsAgree(Flat3, () => ({ a: 1, b: 'xy', extra: 1 }), false, { forbidUnknown: false });
    expect(result).toEqual({ instance: Object.assign(new Flat3(), { a: 1, b: 'xy' }) });
  });

  it('ignores enumerable keys inherited from a polluted Object.prototype, as Object.keys does', () => {
    Object.defineProperty(Object.prototype, 'polluted', { value: 'x', enumerable: true, configurable: true, writable: true });
    try {
      expectFirstAndLaterCallsAgree(Flat3, () => ({ a: 1, b: 'xy' }), true);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });

  it('applies a custom adapted decorator built on class-transformer to flat inputs', () => {
    const Trim = adaptLegacyDecorator('Trim', () =>
      classTransformer.Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    );
    class Login {
      @Trim()
      @IsString()
      @MaxLength(3)
      user!: string;
    }
    const validate = createInputValidator(Login);
    for (let i = 0; i < 2; i++) expect(validate({ user: '  ann  ' }).user).toBe('ann');
  });

  it('applies adapted class-transformer decorators to flat inputs', () => {
    class Masked {
      @IsString()
      name!: string;
      @Exclude()
      secret = 'kept';
    }
    class Renamed {
      @Expose({ name: 'full_name' })
      @IsString()
      fullName!: string;
    }
    class Counted {
      @Type(() => Number)
      @IsInt()
      n!: number;
    }
    const masked = createInputValidator(Masked);
    const renamed = createInputValidator(Renamed);
    const counted = createInputValidator(Counted);
    for (let i = 0; i < 2; i++) {
      expect(masked({ name: 'a', secret: 's' }).secret).toBe('kept');
      expect(renamed({ full_name: 'Ann' }).fullName).toBe('Ann');
      expect(counted({ n: '5' }).n).toBe(5);
    }
  });
});

describe('assignableProperties', () => {
  it('keeps declared fields without class-transformer metadata, off the prototype chain', () => {
    class Mixed {
      @IsString()
      plain!: string;
      @IsString()
      @Transform(({ value }) => value)
      transformed!: string;
      @IsInt()
      @Type(() => Number)
      typed!: number;
      @IsOptional()
      @IsString()
      toString?: string;
      get computed(): string {
        return 'x';
      }
      method(): void {}
    }
    // Known to class-validator through direct legacy calls: a getter and a method.
    const prototype: object = Mixed.prototype;
    classValidator.IsString()(prototype, 'computed');
    classValidator.IsString()(prototype, 'method');
    prepareSchema(Mixed);
    expect([...assignableProperties(Mixed)!]).toEqual(['plain']);
  });

  it('is undefined for a class with @Expose or @Exclude anywhere, or without any property', () => {
    class Base {
      @Exclude()
      hidden?: string;
    }
    class Derived extends Base {
      @IsString()
      name!: string;
    }
    class Empty {}
    for (const cls of [Derived, Empty]) {
      prepareSchema(cls);
      expect(assignableProperties(cls)).toBeUndefined();
    }
  });
});

describe('instantiateFlat', () => {
  it.each<[new () => object, Record<string, unknown>]>([
    [Flat3, { a: 1, b: 'xy', c: true }],
    [Flat3, { b: 'xy' }],
    [WithDefaults, { role: undefined, retries: 0 }],
    [WithFunctionDefault, { format: 'x' }],
    [Child, { d: 'z', a: 1 }],
  ])('builds what plainToInstance builds (%p, %p)', (schema, input) => {
    prepareSchema(schema);
    expect(inputShape(input, assignableProperties(schema))).toBe('assignable');
    expectSameInstance(instantiateFlat(schema, input), plainToInstance(schema, input, { enableImplicitConversion: false }));
  });
});

describe('inputShape', () => {
  const keys = new Set(['a', 'b']);

  it('is nested when a value is an object or a function', () => {
    expect(inputShape({ a: 1, b: {} }, keys)).toBe('nested');
    expect(inputShape({ a: [] }, keys)).toBe('nested');
    expect(inputShape({ a: () => 1 }, undefined)).toBe('nested');
  });

  it('is assignable when every value is primitive and every key is in the set, else flat', () => {
    expect(inputShape({ a: 1, b: null }, keys)).toBe('assignable');
    expect(inputShape({}, keys)).toBe('assignable');
    expect(inputShape({ a: 1, c: 'x' }, keys)).toBe('flat');
    expect(inputShape({ a: 1 }, undefined)).toBe('flat');
  });

  it('looks at own values only', () => {
    const input = Object.create({ inherited: {} }) as Record<string, unknown>;
    input.a = 1;
    expect(inputShape(input, keys)).toBe('assignable');
  });
});

describe('checkStructure', () => {
  it('returns undefined when there is nothing to report and no list was given', () => {
    prepareSchema(Flat3);
    expect(checkStructure(Object.assign(new Flat3(), { a: 1, b: 'x' }), true)).toBeUndefined();
    expect(checkStructure(Object.assign(new Flat3(), { a: 1, zzz: 2 }), true)).toEqual([
      { path: 'zzz', constraints: { whitelistValidation: 'property zzz should not exist' } },
    ]);
  });
});
