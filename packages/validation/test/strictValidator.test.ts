import { InputValidationError, type FieldError } from '@aiecs/core';
import { createInputValidator, IsInt, IsString, ValidateNested, Type, IsOptional, validateInput, IsBoolean } from '../src';
import { Address, Item, Order, validOrder } from './schemas';

/** Runs `fn`, expects an InputValidationError and returns its field errors. */
function fieldErrors(fn: () => unknown): readonly FieldError[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputValidationError);
    return (error as InputValidationError).errors;
  }
  throw new Error('expected an InputValidationError');
}

const paths = (errors: readonly FieldError[]) => errors.map((e) => e.path).sort();

describe('createInputValidator', () => {
  const validate = createInputValidator(Order, {}, 'placeOrder');

  it('returns an instance of the schema with nested instances of the nested classes', () => {
    const order = validate(validOrder());
    expect(order).toBeInstanceOf(Order);
    expect(order.address).toBeInstanceOf(Address);
    expect(order.items).toHaveLength(2);
    for (const item of order.items) expect(item).toBeInstanceOf(Item);
    expect(order.items[1]!.name).toBe('ink');
    expect(order.note).toBeUndefined();
  });

  it('accepts optional fields when present and valid, rejects them when invalid', () => {
    expect(validate({ ...validOrder(), note: 'ring twice' }).note).toBe('ring twice');
    expect(fieldErrors(() => validate({ ...validOrder(), note: 5 }))).toEqual([
      { path: 'note', constraints: { isString: 'note must be a string' } },
    ]);
  });

  it('rejects unknown properties at the top level', () => {
    const errors = fieldErrors(() => validate({ ...validOrder(), admin: true }));
    expect(errors).toEqual([{ path: 'admin', constraints: { whitelistValidation: 'property admin should not exist' } }]);
  });

  it('rejects unknown properties in nested objects and array items', () => {
    const input = validOrder();
    (input.address as Record<string, unknown>).country = 'FR';
    (input.items as Array<Record<string, unknown>>)[1]!.price = 3;
    expect(paths(fieldErrors(() => validate(input)))).toEqual(['address.country', 'items.1.price']);
  });

  it('strips unknown properties instead when forbidUnknown is false', () => {
    const lenient = createInputValidator(Order, { forbidUnknown: false });
    const order = lenient({ ...validOrder(), admin: true });
    expect(order).not.toHaveProperty('admin');
  });

  it('does not convert "false" to a boolean', () => {
    expect(fieldErrors(() => validate({ ...validOrder(), express: 'false' }))).toEqual([
      { path: 'express', constraints: { isBoolean: 'express must be a boolean value' } },
    ]);
  });

  it('does not convert "5" to an integer', () => {
    const input = validOrder();
    (input.items as Array<Record<string, unknown>>)[0]!.quantity = '5';
    const errors = fieldErrors(() => validate(input));
    expect(paths(errors)).toEqual(['items.0.quantity']);
    expect(errors[0]!.constraints).toHaveProperty('isInt');
  });

  it('rejects an object where an array of nested objects is declared (no @IsArray)', () => {
    class Cart {
      @ValidateNested({ each: true })
      @Type(() => Item)
      items!: Item[];
    }
    const validateCart = createInputValidator(Cart);
    expect(validateCart({ items: [{ name: 'pen', quantity: 1 }] }).items[0]).toBeInstanceOf(Item);
    const errors = fieldErrors(() => validateCart({ items: { name: 'pen', quantity: 1 } }));
    expect(errors).toEqual([{ path: 'items', constraints: { isArray: 'items must be an array' } }]);
  });

  it('rejects an object for an each-rule array nested in an array item, unless optional and absent', () => {
    class Tagged {
      @IsString({ each: true })
      tags!: string[];
      @IsOptional()
      @IsString({ each: true })
      aliases?: string[];
    }
    class Holder {
      @ValidateNested({ each: true })
      @Type(() => Tagged)
      entries!: Tagged[];
    }
    const check = createInputValidator(Holder);
    expect(check({ entries: [{ tags: ['a'] }] }).entries[0]).toBeInstanceOf(Tagged);
    expect(fieldErrors(() => check({ entries: [{ tags: ['a'] }, { tags: 'b', aliases: 'c' }] }))).toEqual([
      { path: 'entries.1.tags', constraints: { isArray: 'tags must be an array' } },
      { path: 'entries.1.aliases', constraints: { isArray: 'aliases must be an array' } },
    ]);
  });

  it('reports nested error paths with their messages', () => {
    const input = validOrder();
    (input.items as Array<Record<string, unknown>>)[1]!.name = 42;
    (input.address as Record<string, unknown>).zip = '1234567';
    const errors = fieldErrors(() => validate(input));
    expect(errors).toEqual([
      {
        path: 'items.1.name',
        constraints: { isString: 'name must be a string', maxLength: 'name must be shorter than or equal to 20 characters' },
      },
      { path: 'address.zip', constraints: { maxLength: 'zip must be shorter than or equal to 5 characters' } },
    ]);
  });

  it('reports every failing field, not only the first', () => {
    const errors = fieldErrors(() =>
      validate({
        email: 'not-an-email',
        express: 1,
        currency: 'gbp',
        items: [{ name: 'a', quantity: 0 }, {}, 3, { name: 'b', quantity: 1 }],
        address: { street: 7 },
        extra: null,
      }),
    );
    expect(paths(errors)).toEqual([
      'address.street',
      'address.zip',
      'currency',
      'email',
      'express',
      'extra',
      'items',
      'items.0.quantity',
      'items.1.name',
      'items.1.quantity',
      'items.2',
    ]);
    const items = errors.find((e) => e.path === 'items')!;
    expect(items.constraints).toHaveProperty('arrayMaxSize');
    // A field failing several constraints lists each of them.
    const quantity = errors.find((e) => e.path === 'items.1.quantity')!;
    expect(Object.keys(quantity.constraints).sort()).toEqual(['isInt', 'max', 'min']);
  });

  it('names the operation in the error', () => {
    try {
      validate({ ...validOrder(), express: 'yes' });
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as InputValidationError).operation).toBe('placeOrder');
      expect((error as Error).message).toContain("'placeOrder'");
      expect((error as Error).message).toContain('express');
    }
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an array', [validOrder()]],
    ['a string', 'order'],
    ['a number', 5],
    ['a Date', new Date()],
    ['a class instance', new Address()],
  ])('rejects %s as input', (_label, input) => {
    expect(fieldErrors(() => validate(input))).toEqual([{ path: '', constraints: { isObject: 'input must be an object' } }]);
  });

  it('accepts a null-prototype object', () => {
    const input = Object.assign(Object.create(null) as object, validOrder());
    expect(validate(input)).toBeInstanceOf(Order);
  });

  it('rejects a missing required field and a missing nested object', () => {
    const { address: _address, ...input } = validOrder();
    const errors = fieldErrors(() => validate({ ...input, email: undefined }));
    expect(paths(errors)).toEqual(['address', 'email']);
    expect(errors.find((e) => e.path === 'address')!.constraints).toEqual({ isDefined: 'address should not be null or undefined' });
  });

  it('accepts a missing nested object marked optional, and still validates it when present', () => {
    class Profile {
      @IsOptional()
      @ValidateNested()
      @Type(() => Address)
      address?: Address;
    }
    const check = createInputValidator(Profile);
    expect(check({}).address).toBeUndefined();
    expect(check({ address: { street: 'a', zip: '1' } }).address).toBeInstanceOf(Address);
    expect(paths(fieldErrors(() => check({ address: { street: 'a' } })))).toEqual(['address.zip']);
  });

  it('rejects invalid options when the validator is created', () => {
    expect(() => createInputValidator(Order, { maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => createInputValidator(Order, { maxDepth: 2.5 })).toThrow(/maxDepth/);
    expect(() => createInputValidator(Order, { forbidUnknown: 'no' as unknown as boolean })).toThrow(/forbidUnknown/);
  });
});

describe('validateInput', () => {
  it('validates with a cached validator per schema and options', () => {
    class Flag {
      @IsBoolean()
      on!: boolean;
    }
    expect(validateInput(Flag, { on: true })).toBeInstanceOf(Flag);
    expect(() => validateInput(Flag, { on: 'true' })).toThrow(InputValidationError);
    expect(() => validateInput(Flag, { on: true, x: 1 })).toThrow(InputValidationError);
    expect(validateInput(Flag, { on: true, x: 1 }, { forbidUnknown: false })).toEqual(Object.assign(new Flag(), { on: true }));
  });

  it('reports a schema without any rule as an unknown value', () => {
    class Empty {}
    expect(() => validateInput(Empty, {})).toThrow(InputValidationError);
  });

  it('still validates integers with IsInt after another schema used the same field name', () => {
    class A {
      @IsInt()
      n!: number;
    }
    class B {
      @IsString()
      n!: string;
    }
    expect(validateInput(A, { n: 1 }).n).toBe(1);
    expect(validateInput(B, { n: 'x' }).n).toBe('x');
    expect(() => validateInput(A, { n: 'x' })).toThrow(InputValidationError);
    expect(() => validateInput(B, { n: 1 })).toThrow(InputValidationError);
  });
});
