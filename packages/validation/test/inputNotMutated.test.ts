/**
 * Validation never writes to the caller's input. class-transformer deletes a `@Type` discriminator
 * property from the plain object it transforms (unless `keepDiscriminatorProperty`); the validator
 * hands it a copy then, and only then.
 */
import { InputValidationError } from '@aiecs/core';
import { createInputValidator, Equals, IsArray, IsBoolean, IsInt, IsString, Min, Type, ValidateNested } from '../src';
import { transformMutatesInput } from '../src/strict/inputCopy';

// class-transformer removes the discriminator: the sub-types do not declare it.
class Cat {
  @IsBoolean() purrs!: boolean;
}

class Dog {
  @IsInt() @Min(0) barks!: number;
}

// Kept (`keepDiscriminatorProperty: true`): the sub-types declare it.
class KeptCat {
  @Equals('cat') kind!: 'cat';
  @IsBoolean() purrs!: boolean;
}

class KeptDog {
  @Equals('dog') kind!: 'dog';
  @IsInt() @Min(0) barks!: number;
}

class Animal {
  kind!: string;
}

const discriminator = {
  property: 'kind',
  subTypes: [
    { value: Cat, name: 'cat' },
    { value: Dog, name: 'dog' },
  ],
};

class Household {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Animal, { discriminator }) pet!: Cat | Dog;
  @IsArray() @ValidateNested({ each: true }) @Type(() => Animal, { discriminator }) others!: (Cat | Dog)[];
}

const keptDiscriminator = {
  property: 'kind',
  subTypes: [
    { value: KeptCat, name: 'cat' },
    { value: KeptDog, name: 'dog' },
  ],
};

class KeptHousehold {
  @ValidateNested() @Type(() => Animal, { discriminator: keptDiscriminator, keepDiscriminatorProperty: true }) pet!: KeptCat | KeptDog;
}

class Plain {
  @IsString() name!: string;
  @ValidateNested() @Type(() => KeptCat) cat!: KeptCat;
}

describe('the caller’s input is never mutated', () => {
  const input = () => ({
    name: 'home',
    pet: { kind: 'cat', purrs: true },
    others: [
      { kind: 'dog', barks: 2 },
      { kind: 'cat', purrs: false },
    ],
  });

  it('a discriminated input is deep-equal to its snapshot after the call, and still validates (again and again)', () => {
    const validate = createInputValidator(Household);
    const given = input();
    const snapshot = structuredClone(given);
    const first = validate(given);
    expect(given).toEqual(snapshot);
    expect(first.pet).toBeInstanceOf(Cat);
    expect(first.others[0]).toBeInstanceOf(Dog);
    // The same object validates a second time: its discriminators are all still there.
    const second = validate(given);
    expect(second.others.map((o) => o.constructor)).toEqual([Dog, Cat]);
    expect(given).toEqual(snapshot);
  });

  it('an invalid discriminated input is refused field by field, and is left as it was', () => {
    const validate = createInputValidator(Household);
    const given = { ...input(), pet: { kind: 'dog', barks: -1 } };
    const snapshot = structuredClone(given);
    let error: unknown;
    try {
      validate(given);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).errors.map((e) => e.path)).toEqual(['pet.barks']);
    expect(given).toEqual(snapshot);
  });

  it('only schemas whose transform writes to the input pay for a copy', () => {
    expect(transformMutatesInput(Household)).toBe(true);
    expect(transformMutatesInput(KeptHousehold)).toBe(false);
    expect(transformMutatesInput(Plain)).toBe(false);
    const kept = { pet: { kind: 'dog', barks: 1 } };
    expect(createInputValidator(KeptHousehold)(kept).pet).toBeInstanceOf(KeptDog);
    expect(kept).toEqual({ pet: { kind: 'dog', barks: 1 } });
  });
});
