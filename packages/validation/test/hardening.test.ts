import { ConfigurationError, InputValidationError, type FieldError } from '@aiecs/core';
import {
  registerDecorator,
  ValidatorConstraint,
  type ValidationOptions,
  type ValidatorConstraintInterface,
  Validate as LegacyValidate,
} from 'class-validator';
import { buildInputValidator } from '../src/strictValidator';
import {
  adaptLegacyDecorator,
  createInputValidator,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Min,
  Type,
  Validate,
  ValidateNested,
  ValidatePromise,
  validateInput,
} from '../src';

class Item {
  @IsString()
  name!: string;
  @IsInt()
  @Min(0)
  qty!: number;
}

class OrderInput {
  @IsString()
  customer!: string;
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Item)
  items!: Item[];
}

class Shipment {
  @ValidateNested()
  @Type(() => Item)
  item!: Item;
  @IsOptional()
  @IsObject()
  meta?: Record<string, unknown>;
}

/** Runs `fn`, expects an InputValidationError (no other error class) and returns its field errors. */
function fieldErrors(fn: () => unknown): readonly FieldError[] {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error('expected an InputValidationError, but the input passed');
  if (!(thrown instanceof InputValidationError)) throw new Error(`expected an InputValidationError, got ${String(thrown)}`);
  return thrown.errors;
}

const paths = (errors: readonly FieldError[]) => errors.map((e) => e.path);

describe('elements of nested rules must be plain objects', () => {
  const validate = createInputValidator(OrderInput);
  const validateShipment = createInputValidator(Shipment);

  it('still accepts plain objects (and null-prototype ones) as items', () => {
    const order = validate(JSON.parse('{"customer":"c","items":[{"name":"a","qty":5}]}'));
    expect(order.items[0]).toBeInstanceOf(Item);
    const bare = Object.assign(Object.create(null) as object, { name: 'a', qty: 1 });
    expect(validate({ customer: 'c', items: [bare] }).items[0]).toBeInstanceOf(Item);
    expect(validateShipment({ item: { name: 'a', qty: 1 } }).item).toBeInstanceOf(Item);
  });

  it('rejects an array nested in a declared array of objects', () => {
    expect(paths(fieldErrors(() => validate(JSON.parse('{"customer":"c","items":[[{"name":"a","qty":5}]]}'))))).toContain('items.0');
    expect(paths(fieldErrors(() => validate(JSON.parse('{"customer":"c","items":[[]]}'))))).toContain('items.0');
    const errors = fieldErrors(() => validate(JSON.parse('{"customer":"c","items":[{"name":"a","qty":5},[]]}')));
    expect(errors.find((e) => e.path === 'items.1')?.constraints).toHaveProperty('isPlainObject');
  });

  class Plain {
    x = 1;
  }
  it.each<[string, () => unknown]>([
    ['a Map', () => new Map([['name', 'a']])],
    ['an empty Map', () => new Map()],
    ['a Set', () => new Set([{ name: 'a', qty: 1 }])],
    ['a Date', () => new Date()],
    ['a typed array', () => new Uint8Array(2)],
    ['a class instance', () => new Plain()],
    ['a string', () => 'x'],
    ['a number', () => 5],
    ['null', () => null],
  ])('rejects %s as an item, and as a single nested object', (_label, element) => {
    expect(paths(fieldErrors(() => validate({ customer: 'c', items: [{ name: 'a', qty: 1 }, element()] })))).toContain('items.1');
    expect(paths(fieldErrors(() => validateShipment({ item: element() })))).toContain('item');
  });

  it('rejects an array for a single @ValidateNested() object', () => {
    expect(paths(fieldErrors(() => validateShipment({ item: [{ name: 'a', qty: 1 }] })))).toEqual(['item']);
    expect(paths(fieldErrors(() => validateShipment({ item: [] })))).toEqual(['item']);
  });

  it('checks items at any depth of the schema', () => {
    class Outer {
      @ValidateNested({ each: true })
      @Type(() => OrderInput)
      orders!: OrderInput[];
    }
    const check = createInputValidator(Outer);
    expect(check({ orders: [{ customer: 'c', items: [{ name: 'a', qty: 1 }] }] }).orders[0]!.items[0]).toBeInstanceOf(Item);
    expect(paths(fieldErrors(() => check({ orders: [{ customer: 'c', items: [[]] }] })))).toEqual(['orders.0.items.0']);
  });
});

describe('values that make the validation machinery throw', () => {
  const validate = createInputValidator(OrderInput);
  const validateShipment = createInputValidator(Shipment);
  const throwingToString = {
    toString(): string {
      throw new Error('no string');
    },
  };

  it('a Symbol Map key: InputValidationError', () => {
    const meta = { m: new Map<unknown, unknown>([[Symbol('s'), { a: 1 }]]) };
    expect(paths(fieldErrors(() => validate({ customer: 'c', items: new Map([[Symbol('s'), { name: 'a', qty: 1 }]]) })))).toEqual([
      'items',
    ]);
    // In a free-form value: passes or is refused, never another error class.
    try {
      validateShipment({ item: { name: 'a', qty: 1 }, meta });
    } catch (error) {
      expect(error).toBeInstanceOf(InputValidationError);
    }
  });

  it.each<[string, () => unknown, string]>([
    ['a Map key whose toString throws', () => ({ customer: 'c', items: new Map([[throwingToString, { name: 'a', qty: 1 }]]) }), 'items'],
    [
      'a Map key whose toString throws, in a free-form value',
      () => ({ item: { name: 'a', qty: 1 }, meta: { m: new Map([[throwingToString, {}]]) } }),
      'meta.m',
    ],
    [
      'a throwing getter at the top level',
      () => ({
        customer: 'c',
        get items(): unknown {
          throw new Error('getter');
        },
      }),
      'items',
    ],
    [
      'a throwing getter in an item',
      () => ({
        customer: 'c',
        items: [
          {
            name: 'a',
            get qty(): number {
              throw new Error('getter');
            },
          },
        ],
      }),
      'items.0.qty',
    ],
    [
      'a Proxy whose ownKeys trap throws, as input',
      () =>
        new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('trap');
            },
          },
        ),
      '',
    ],
    [
      'a Proxy whose getPrototypeOf trap throws, as input',
      () =>
        new Proxy(
          {},
          {
            getPrototypeOf() {
              throw new Error('trap');
            },
          },
        ),
      '',
    ],
    [
      'a Proxy whose get trap throws, as an item',
      () => ({
        customer: 'c',
        items: [
          new Proxy(
            { name: 'a', qty: 1 },
            {
              get() {
                throw new Error('trap');
              },
            },
          ),
        ],
      }),
      'items.0.qty',
    ],
  ])('%s: InputValidationError naming the field', (_label, input, path) => {
    const check = path.startsWith('meta') ? validateShipment : validate;
    const errors = fieldErrors(() => check(input()));
    expect(paths(errors)).toEqual([path]);
    expect(Object.keys(errors[0]!.constraints)).toEqual(['unreadable']);
  });

  it('a value class-validator itself throws on: InputValidationError', () => {
    // Passes the depth walk (read once), throws on the following reads (plainToInstance reads twice).
    let reads = 0;
    const input = () => ({
      customer: 'c',
      items: [
        {
          name: 'a',
          get qty(): number {
            if (++reads > 2) throw new Error('later');
            return 1;
          },
        },
      ],
    });
    const general = buildInputValidator(OrderInput, {}, undefined, false);
    expect(fieldErrors(() => general(input())).length).toBeGreaterThan(0);
    // The compiled check reads each value once: the input is the value it read, and passes.
    reads = 0;
    expect((validate(input()) as unknown as { items: Array<{ qty: number }> }).items[0]!.qty).toBe(1);
  });
});

describe('__proto__, constructor and prototype keys', () => {
  const validate = createInputValidator(OrderInput);
  const validateShipment = createInputValidator(Shipment);
  const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
  const before = prototypeKeys();

  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(prototypeKeys()).toEqual(before);
  });

  it.each<[string, string, () => (input: unknown) => unknown]>([
    ['{"__proto__":{"polluted":1},"customer":"c","items":[]}', '__proto__', () => validate],
    ['{"constructor":{"prototype":{"polluted":1}},"customer":"c","items":[]}', 'constructor', () => validate],
    ['{"prototype":{"polluted":1},"customer":"c","items":[]}', 'prototype', () => validate],
    ['{"customer":"c","items":[],"__proto__":1}', '__proto__', () => validate],
    ['{"customer":"c","items":[{"name":"a","qty":1,"__proto__":{"polluted":1}}]}', 'items.0.__proto__', () => validate],
    [
      '{"customer":"c","items":[{"name":"a","qty":1},{"name":"b","qty":1,"constructor":{"prototype":{"polluted":1}}}]}',
      'items.1.constructor',
      () => validate,
    ],
    ['{"item":{"name":"a","qty":1,"prototype":{"polluted":1}}}', 'item.prototype', () => validateShipment],
    ['{"item":{"name":"a","qty":1},"meta":{"deep":[{"__proto__":{"polluted":1}}]}}', 'meta.deep.0.__proto__', () => validateShipment],
  ])('refuses %s', (json, path, check) => {
    const errors = fieldErrors(() => check()(JSON.parse(json)));
    expect(paths(errors)).toEqual([path]);
    expect(Object.keys(errors[0]!.constraints)).toEqual(['forbiddenKey']);
  });

  it('refuses them on the flat path too, from the second call on', () => {
    class Flat {
      @IsString()
      a!: string;
    }
    const check = createInputValidator(Flat);
    for (let i = 0; i < 2; i++) {
      expect(paths(fieldErrors(() => check(JSON.parse('{"a":"x","__proto__":{"polluted":1}}'))))).toEqual(['__proto__']);
      expect(paths(fieldErrors(() => check(JSON.parse('{"a":"x","constructor":1}'))))).toEqual(['constructor']);
      expect(check({ a: 'x' })).toBeInstanceOf(Flat);
    }
  });

  it('still strips them when unknown keys are allowed', () => {
    const lenient = createInputValidator(OrderInput, { forbidUnknown: false });
    const order = lenient(
      JSON.parse('{"__proto__":{"polluted":1},"customer":"c","items":[{"name":"a","qty":1,"__proto__":{"polluted":1}}]}'),
    );
    expect(Object.getPrototypeOf(order)).toBe(OrderInput.prototype);
    expect(Object.getPrototypeOf(order.items[0])).toBe(Item.prototype);
  });
});

describe('async constraints', () => {
  @ValidatorConstraint({ name: 'isUniqueName', async: true })
  class IsUniqueName implements ValidatorConstraintInterface {
    validate(value: unknown): Promise<boolean> {
      return Promise.resolve(value !== 'taken');
    }
  }
  @ValidatorConstraint({ name: 'isShort' })
  class IsShort implements ValidatorConstraintInterface {
    validate(value: unknown): boolean {
      return typeof value === 'string' && value.length < 5;
    }
  }

  function configurationError(fn: () => unknown): ConfigurationError {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return error as ConfigurationError;
    }
    throw new Error('expected a ConfigurationError');
  }

  it('refuses a schema with an async @ValidatorConstraint when the validator is created', () => {
    class Signup {
      @IsString()
      @Validate(IsUniqueName)
      name!: string;
    }
    const error = configurationError(() => createInputValidator(Signup));
    expect(error.message).toMatch(/Signup/);
    expect(error.message).toMatch(/name/);
    expect(error.message).toMatch(/async constraints are not supported/);
    expect(error.message).toMatch(/validateSync/);
    expect(() => validateInput(Signup, { name: 'taken' })).toThrow(ConfigurationError);
  });

  it('refuses an async constraint registered with registerDecorator({ async: true }), in a nested class', () => {
    const IsFree = adaptLegacyDecorator(
      'IsFree',
      (options?: ValidationOptions) => (target: object, propertyName: string | symbol) =>
        registerDecorator({
          name: 'isFree',
          async: true,
          target: target.constructor,
          propertyName: String(propertyName),
          options,
          validator: { validate: async () => true },
        }),
    );
    class Slot {
      @IsFree()
      code!: string;
    }
    class Booking {
      @ValidateNested({ each: true })
      @Type(() => Slot)
      slots!: Slot[];
    }
    const error = configurationError(() => createInputValidator(Booking));
    expect(error.message).toMatch(/Booking/);
    expect(error.message).toMatch(/Slot\.code/);
  });

  it('refuses @ValidatePromise', () => {
    class Later {
      @ValidatePromise()
      @IsString()
      value!: string;
    }
    expect(configurationError(() => createInputValidator(Later)).message).toMatch(/Later\.value/);
  });

  it('refuses an async constraint applied as a legacy decorator on a parent class', () => {
    class Parent {
      name!: string;
    }
    LegacyValidate(IsUniqueName)(Parent.prototype, 'name');
    class Kid extends Parent {
      @IsInt()
      age!: number;
    }
    expect(configurationError(() => createInputValidator(Kid)).message).toMatch(/name/);
  });

  it('refuses it on the first call when a @Type thunk could not be called yet at creation', () => {
    class Invoice {
      @ValidateNested()
      @Type(() => Line)
      line!: Line;
    }
    const check = createInputValidator(Invoice);
    class Line {
      @Validate(IsUniqueName)
      sku!: string;
    }
    expect(configurationError(() => check({ line: { sku: 'a' } })).message).toMatch(/Line\.sku/);
    expect(() => check({ line: { sku: 'a' } })).toThrow(ConfigurationError);
  });

  it('accepts synchronous custom constraints', () => {
    class Named {
      @Validate(IsShort)
      name!: string;
    }
    const check = createInputValidator(Named);
    expect(check({ name: 'abc' })).toBeInstanceOf(Named);
    expect(paths(fieldErrors(() => check({ name: 'abcdef' })))).toEqual(['name']);
  });
});
