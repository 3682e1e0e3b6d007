import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import {
  Allow,
  ArrayMinSize,
  Description,
  Exclude,
  Expose,
  IsArray,
  IsDate,
  IsDateString,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsMobilePhone,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  Transform,
  Type,
  Validate,
  ValidateIf,
  ValidateNested,
} from '../index';
import { jsonSchemaOf } from './jsonSchemaOf';

class Item {
  @IsString() name!: string;
}
enum Color {
  Red = 'red',
  Blue = 'blue',
}

@Description('An order')
class Order {
  @Description('Who orders') @IsEmail() email!: string;
  @IsOptional() @Min(1) @Max(10) @IsInt() quantity?: number;
  @Length(2, 5) code!: string;
  @Matches(/^[a-z]+$/) slug!: string;
  @IsEnum(Color) color!: Color;
  @IsIn([1, 2]) level!: number;
  @IsUrl() site!: string;
  @IsUUID('4') id!: string;
  @IsDateString() at!: string;
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) tags!: string[];
  @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
  @IsOptional() @ValidateNested() @Type(() => Item) main?: Item;
  @IsMobilePhone() phone!: string;
}

describe('jsonSchemaOf: a schema class', () => {
  it('maps types, optionality, bounds, lengths, patterns, enums, formats, arrays, nested classes and descriptions', () => {
    const { schema, warnings } = jsonSchemaOf(Order);
    expect(schema).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      description: 'An order',
      properties: {
        email: { type: 'string', format: 'email', description: 'Who orders' },
        quantity: { type: 'integer', minimum: 1, maximum: 10 },
        code: { type: 'string', minLength: 2, maxLength: 5 },
        slug: { type: 'string', pattern: '^[a-z]+$' },
        color: { type: 'string', enum: ['red', 'blue'] },
        level: { type: 'integer', enum: [1, 2] },
        site: { type: 'string', format: 'uri' },
        id: { type: 'string', format: 'uuid', pattern: expect.stringContaining('-4[0-9a-fA-F]{3}-') },
        at: { type: 'string', format: 'date-time' },
        tags: { type: 'array', minItems: 1, items: { type: 'string' } },
        items: { type: 'array', items: { type: 'object', $ref: '#/$defs/Item' } },
        main: { type: 'object', $ref: '#/$defs/Item' },
        phone: { type: 'string' },
      },
      required: ['email', 'code', 'slug', 'color', 'level', 'site', 'id', 'at', 'tags', 'items', 'phone'],
      additionalProperties: false,
      $defs: { Item: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false } },
    });
    expect(warnings).toEqual([
      { field: 'phone', constraint: 'isMobilePhone', reason: expect.stringContaining('no JSON Schema equivalent') },
    ]);
  });

  it('is generated once per class (and per forbidUnknown), frozen', () => {
    const first = jsonSchemaOf(Order);
    expect(jsonSchemaOf(Order)).toBe(first);
    expect(Object.isFrozen(first.schema)).toBe(true);
    expect(Object.isFrozen(first.schema.properties!.email)).toBe(true);
    expect(Object.isFrozen(first.warnings)).toBe(true);
    const loose = jsonSchemaOf(Order, { forbidUnknown: false });
    expect(loose).not.toBe(first);
    expect(loose.schema).not.toHaveProperty('additionalProperties');
    expect(loose.schema.$defs!.Item).not.toHaveProperty('additionalProperties');
    expect(jsonSchemaOf(Order, { forbidUnknown: false })).toBe(loose);
  });

  it('refers back to the root with "#", and gives two classes of one name distinct $defs', () => {
    const First = (() =>
      class Node {
        @IsString() a!: string;
      })();
    const Second = (() =>
      class Node {
        @IsInt() b!: number;
      })();
    class Graph {
      @ValidateNested() @Type(() => First) first!: InstanceType<typeof First>;
      @ValidateNested() @Type(() => Second) second!: InstanceType<typeof Second>;
      @IsOptional() @ValidateNested() @Type(() => Graph) parent?: Graph;
    }
    const { schema } = jsonSchemaOf(Graph);
    expect(schema.properties).toMatchObject({ first: { $ref: '#/$defs/Node' }, second: { $ref: '#/$defs/Node_2' }, parent: { $ref: '#' } });
    expect(schema.$defs!.Node!.properties).toHaveProperty('a');
    expect(schema.$defs!.Node_2!.properties).toHaveProperty('b');
  });

  it('keeps inherited fields and descriptions, and lets a subclass override a description', () => {
    class Base {
      @Description('base id') @IsString() id!: string;
      @Description('base note') @IsOptional() @IsString() note?: string;
    }
    class Derived extends Base {
      @Description('derived note') @IsOptional() @IsString() override note?: string = undefined;
      @IsInt() count!: number;
    }
    const { schema } = jsonSchemaOf(Derived);
    expect(schema.properties).toMatchObject({
      id: { description: 'base id' },
      note: { description: 'derived note' },
      count: { type: 'integer' },
    });
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'count']));
    expect(jsonSchemaOf(Base).schema.properties!.note!.description).toBe('base note');
  });

  it('reads input keys as class-transformer does: @Expose({ name }) renames, @Exclude() leaves out', () => {
    class Renamed {
      @Expose({ name: 'user_id' }) @IsString() userId!: string;
      @Exclude() @Allow() secret?: string;
      @Allow() anything?: unknown;
    }
    const { schema } = jsonSchemaOf(Renamed);
    expect(Object.keys(schema.properties!)).toEqual(['user_id', 'anything']);
    // @Allow() alone refuses nothing, so the field is not required.
    expect(schema.required).toEqual(['user_id']);
  });

  it('reports what it cannot express, each with field, constraint and reason, never dropping it silently', () => {
    @ValidatorConstraint({ name: 'isEven' })
    class IsEven implements ValidatorConstraintInterface {
      validate(value: unknown): boolean {
        return typeof value === 'number' && value % 2 === 0;
      }
    }
    class Hard {
      @Validate(IsEven) even!: number;
      @IsInt() kind!: number;
      @ValidateIf((o: Hard) => o.kind === 1) @IsString() detail?: string;
      @Transform(({ value }) => String(value).trim()) @IsString() trimmed!: string;
      @ValidateNested() untyped!: object;
      @IsDate() when!: Date;
      @Matches(/^abc$/i) caseless!: string;
      @IsString() @IsInt() impossible!: never;
    }
    const { schema, warnings } = jsonSchemaOf(Hard);
    const byField = Object.fromEntries(warnings.map((w) => [w.field, w.constraint]));
    expect(byField).toEqual({
      even: 'isEven',
      detail: '@ValidateIf',
      trimmed: '@Transform',
      untyped: 'nestedValidation',
      when: 'isDate',
      caseless: 'matches',
      impossible: 'type',
    });
    for (const warning of warnings) expect(warning.reason.length).toBeGreaterThan(20);
    expect(schema.properties!.impossible).toEqual({ not: {} });
    expect(schema.properties!.caseless).toEqual({ type: 'string' });
    expect(schema.required).not.toContain('detail');
  });

  it('maps a @Type discriminator to oneOf of the sub-types, each with its discriminator value', () => {
    class Circle {
      @IsInt() radius!: number;
    }
    class Square {
      @IsInt() side!: number;
    }
    class Drawing {
      @ValidateNested({ each: true })
      @Type(() => Object, {
        discriminator: {
          property: 'shape',
          subTypes: [
            { value: Circle, name: 'circle' },
            { value: Square, name: 'square' },
          ],
        },
      })
      shapes!: (Circle | Square)[];
    }
    const { schema, warnings } = jsonSchemaOf(Drawing);
    expect(warnings).toEqual([]);
    expect(schema.properties!.shapes).toEqual({
      type: 'array',
      items: { type: 'object', oneOf: [{ $ref: '#/$defs/Circle_circle' }, { $ref: '#/$defs/Square_square' }] },
    });
    expect(schema.$defs!.Circle_circle).toEqual({
      type: 'object',
      properties: { radius: { type: 'integer' }, shape: { const: 'circle' } },
      required: ['radius', 'shape'],
      additionalProperties: false,
    });
  });

  it('names the nested path of a warning inside a nested class', () => {
    class Inner {
      @IsMobilePhone() phone!: string;
    }
    class Outer {
      @ValidateNested({ each: true }) @Type(() => Inner) contacts!: Inner[];
    }
    expect(jsonSchemaOf(Outer).warnings).toEqual([expect.objectContaining({ field: 'contacts.phone', constraint: 'isMobilePhone' })]);
  });

  it('logs the warnings of a class once, as a Node warning of type AiecsSchemaWarning', () => {
    class Logged {
      @IsMobilePhone() phone!: string;
    }
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      jsonSchemaOf(Logged);
      jsonSchemaOf(Logged);
      jsonSchemaOf(Logged, { forbidUnknown: false });
      const calls = emit.mock.calls.filter(([message]) => String(message).includes('Logged'));
      expect(calls).toHaveLength(1);
      expect(calls[0]![0]).toContain('phone isMobilePhone');
      expect(calls[0]![1]).toEqual({ type: 'AiecsSchemaWarning', code: 'AIECS_JSON_SCHEMA' });
    } finally {
      emit.mockRestore();
    }
  });

  it('refuses what is not a schema', () => {
    expect(() => jsonSchemaOf({} as never)).toThrow(TypeError);
    expect(() => Description('')).toThrow(TypeError);
  });
});
