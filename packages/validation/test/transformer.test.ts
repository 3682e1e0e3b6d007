import { instanceToPlain } from 'class-transformer';
import { InputValidationError } from '@aiecs/core';
import { createInputValidator, Exclude, Expose, IsInt, IsString, Min, Transform, Type, IsDate, IsOptional, ValidateNested } from '../src';

class Account {
  @Expose({ name: 'user_name' })
  @IsString()
  userName!: string;

  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  email!: string;

  @Exclude({ toClassOnly: true })
  role = 'user';

  @Exclude()
  secret?: string;

  @Type(() => Date)
  @IsDate()
  since!: Date;

  @IsInt()
  @Min(0)
  credits!: number;
}

describe('adapted class-transformer decorators', () => {
  const validate = createInputValidator(Account);
  const input = () => ({ user_name: 'ann', email: '  Ann@Example.COM ', since: '2024-01-02T00:00:00.000Z', credits: 3 });

  it('Expose maps a plain name to the property', () => {
    const account = validate(input());
    expect(account.userName).toBe('ann');
    expect(account).not.toHaveProperty('user_name');
  });

  it('Expose: the property name is not accepted in place of the exposed name', () => {
    const { user_name: name, ...rest } = input();
    expect(() => validate({ ...rest, userName: name })).toThrow(/userName/);
  });

  it('Transform runs before validation', () => {
    expect(validate(input()).email).toBe('ann@example.com');
  });

  it('Exclude drops the plain value: an input cannot set an excluded field', () => {
    const account = validate({ ...input(), role: 'admin', secret: 's3cr3t' });
    expect(account.role).toBe('user');
    expect(account.secret).toBeUndefined();
    expect(instanceToPlain(Object.assign(new Account(), { secret: 'x' }))).not.toHaveProperty('secret');
  });

  it('Type converts explicitly (and only explicitly) typed fields', () => {
    const account = validate(input());
    expect(account.since).toBeInstanceOf(Date);
    expect(account.since.getUTCFullYear()).toBe(2024);
    expect(() => validate({ ...input(), credits: '3' })).toThrow(/credits/);
  });
});

class Period {
  @Type(() => Date) @IsDate() from!: Date;
  @IsOptional() @Type(() => Date) @IsDate() until?: Date;
  @Type(() => Date) @IsDate({ each: true }) holidays!: Date[];
}

class Booking {
  @ValidateNested() @Type(() => Period) period!: Period;
}

/** The field paths and constraints an input is refused for (fails the test if it is accepted). */
function refusal(validate: (input: unknown) => unknown, input: unknown): Record<string, string[]> {
  try {
    validate(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InputValidationError);
    return Object.fromEntries((error as InputValidationError).errors.map((e) => [e.path, Object.keys(e.constraints)]));
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('@Type(() => Date): what class-transformer would turn into a date is refused', () => {
  const validate = createInputValidator(Period);
  const valid = { from: '2024-01-02T10:00:00Z', holidays: ['2024-12-25'] };

  it('takes an ISO 8601 string or a Date, and gives a Date', () => {
    const period = validate({ ...valid, until: new Date(Date.UTC(2024, 0, 3)) });
    expect(period.from).toEqual(new Date('2024-01-02T10:00:00Z'));
    expect(period.until).toEqual(new Date(Date.UTC(2024, 0, 3)));
    expect(period.holidays).toEqual([new Date('2024-12-25')]);
    expect(validate({ ...valid, until: null }).until).toBeNull(); // @IsOptional allows null
  });

  // `new Date(value)` makes a valid date of each of these: false and 0 are the epoch, '1' is 2001-01-01.
  it.each([false, true, 0, 1_700_000_000, [2020], { valueOf: () => 0 }, '1', ''])('refuses %p', (value) => {
    expect(refusal(validate, { ...valid, from: value })).toEqual({ from: ['isDate'] });
    expect(refusal(validate, { ...valid, until: value })).toEqual({ until: ['isDate'] });
    // class-validator may also report an invalid Date item on the array itself (`holidays`).
    expect(refusal(validate, { ...valid, holidays: ['2024-12-25', value] })).toMatchObject({ 'holidays.1': ['isDate'] });
  });

  it('refuses them inside a nested object too', () => {
    const booking = createInputValidator(Booking);
    expect(booking({ period: valid }).period.from).toBeInstanceOf(Date);
    expect(refusal(booking, { period: { ...valid, from: false } })).toEqual({ 'period.from': ['isDate'] });
  });
});
