import { instanceToPlain } from 'class-transformer';
import { createInputValidator, Exclude, Expose, IsInt, IsString, Min, Transform, Type, IsDate } from '../src';

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
