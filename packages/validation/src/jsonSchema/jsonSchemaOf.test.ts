import { Description, IsEmail, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Length, Matches, Max, Min, Type, ValidateNested, IsMobilePhone, IsDateString, IsArray, ArrayMinSize } from '../index';
import { jsonSchemaOf } from './jsonSchemaOf';

class Item {
  @IsString() name!: string;
}
enum Color { Red = 'red', Blue = 'blue' }

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

describe('jsonSchemaOf', () => {
  it('maps a class', () => {
    const { schema, warnings } = jsonSchemaOf(Order);
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      description: 'An order',
      additionalProperties: false,
      properties: {
        email: { type: 'string', format: 'email', description: 'Who orders' },
        quantity: { type: 'integer', minimum: 1, maximum: 10 },
        code: { type: 'string', minLength: 2, maxLength: 5 },
        color: { type: 'string', enum: ['red', 'blue'] },
        level: { type: 'integer', enum: [1, 2] },
        tags: { type: 'array', minItems: 1, items: { type: 'string' } },
        items: { type: 'array', items: { type: 'object', $ref: '#/$defs/Item' } },
        main: { type: 'object', $ref: '#/$defs/Item' },
      },
      $defs: { Item: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false } },
    });
    expect(schema.required).not.toContain('quantity');
    expect(schema.required).not.toContain('main');
    expect(warnings).toEqual([expect.objectContaining({ field: 'phone', constraint: 'isMobilePhone' })]);
    expect(jsonSchemaOf(Order)).toBe(jsonSchemaOf(Order));
    console.log(JSON.stringify(schema, null, 1));
  });
});
