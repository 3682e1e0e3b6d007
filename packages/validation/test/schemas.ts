import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  Type,
} from '../src';

/** Shared test schemas: an order with nested items and an address. */
export class Item {
  @IsString()
  @MaxLength(20)
  name!: string;

  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;
}

export class Address {
  @IsString()
  street!: string;

  @IsString()
  @MaxLength(5)
  zip!: string;
}

export class Order {
  @IsEmail()
  email!: string;

  @IsBoolean()
  express!: boolean;

  @IsIn(['eur', 'usd'])
  currency!: string;

  @IsArray()
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => Item)
  items!: Item[];

  @ValidateNested()
  @Type(() => Address)
  address!: Address;

  @IsOptional()
  @IsString()
  note?: string;
}

/** A valid plain input for `Order`. */
export function validOrder(): Record<string, unknown> {
  return {
    email: 'ann@example.com',
    express: false,
    currency: 'eur',
    items: [
      { name: 'pen', quantity: 2 },
      { name: 'ink', quantity: 1 },
    ],
    address: { street: 'Main St 1', zip: '12345' },
  };
}
