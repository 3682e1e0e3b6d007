import { InputValidationError } from '@aiecs/core';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import fc from 'fast-check';
import {
  ArrayContains,
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotContains,
  ArrayNotEmpty,
  ArrayUnique,
  Contains,
  Equals,
  IsAlpha,
  IsAlphanumeric,
  IsArray,
  IsAscii,
  IsBase32,
  IsBase58,
  IsBase64,
  IsBIC,
  IsBoolean,
  IsBooleanString,
  IsBtcAddress,
  IsByteLength,
  IsCreditCard,
  IsCurrency,
  IsDataURI,
  IsDate,
  IsDateString,
  IsDecimal,
  IsDefined,
  IsDivisibleBy,
  IsEAN,
  IsEmail,
  IsEmpty,
  IsEnum,
  IsEthereumAddress,
  IsFirebasePushId,
  IsFQDN,
  IsFullWidth,
  IsHalfWidth,
  IsHash,
  IsHexadecimal,
  IsHexColor,
  IsHSL,
  IsIBAN,
  IsIdentityCard,
  IsIn,
  IsInt,
  IsIP,
  IsISBN,
  IsISIN,
  IsISO31661Alpha2,
  IsISO31661Alpha3,
  IsISO31661Numeric,
  IsISO4217CurrencyCode,
  IsISO6391,
  IsISO8601,
  IsISRC,
  IsISSN,
  IsJSON,
  IsJWT,
  IsLatitude,
  IsLatLong,
  IsLocale,
  IsLongitude,
  IsLowercase,
  IsMACAddress,
  IsMagnetURI,
  IsMilitaryTime,
  IsMimeType,
  IsMobilePhone,
  IsMongoId,
  IsMultibyte,
  IsNegative,
  IsNotEmpty,
  IsNotEmptyObject,
  IsNotIn,
  IsNumber,
  IsNumberString,
  IsObject,
  IsOctal,
  IsOptional,
  IsPassportNumber,
  IsPhoneNumber,
  IsPort,
  IsPositive,
  IsPostalCode,
  IsRFC3339,
  IsRgbColor,
  IsSemVer,
  IsString,
  IsStrongPassword,
  IsSurrogatePair,
  IsTaxId,
  IsTimeZone,
  IsUppercase,
  IsUrl,
  IsUUID,
  IsVariableWidth,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotContains,
  NotEquals,
  Type,
  ValidateNested,
} from '../decorators';
import { prepareSchema } from '../bridge/prepareSchema';
import { createInputValidator } from '../strictValidator';
import { CONSTRAINT_MAPPINGS, STRING_ONLY_RULES } from './constraints';
import { jsonSchemaOf } from './jsonSchemaOf';
import { schemaArbitrary, wrongTypeArbitrary } from './schemaArbitrary.testkit';
import type { JsonSchemaObject, JsonType } from './types';

/**
 * The generated JSON Schema must agree with the validator it describes:
 * 1. every input generated from the schema (and accepted by ajv) is accepted by the validator;
 * 2. an input the validator rejects for a type reason — a field of the wrong JSON type, a missing
 *    required field, an unknown property — is rejected by the schema (ajv) too.
 * The schema classes below use every constraint `CONSTRAINT_MAPPINGS` maps (checked at the end).
 */

const RUNS = Number(process.env.SCHEMA_PROPERTY_RUNS ?? 100);

class Label {
  @IsString() @MinLength(1) text!: string;
  @IsOptional() @IsInt() @Min(0) rank?: number;
}

class TreeNode {
  @IsString() name!: string;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => TreeNode) children?: TreeNode[];
}

class Cat {
  @IsInt() @Min(0) lives!: number;
}
class Dog {
  @IsBoolean() good!: boolean;
}
const petType = {
  discriminator: {
    property: 'kind',
    subTypes: [
      { value: Cat, name: 'cat' },
      { value: Dog, name: 'dog' },
    ],
  },
};

enum Color {
  Red = 'red',
  Blue = 'blue',
}
enum Level {
  Low = 1,
  High = 2,
}

/** One field per mapped constraint (and combinations), all exactly expressed: no warning expected. */
class Exact {
  @IsString() string!: string;
  @IsNumber() number!: number;
  @IsInt() int!: number;
  @IsBoolean() bool!: boolean;
  @IsArray() array!: unknown[];
  @IsObject() object!: object;
  @IsNotEmptyObject() notEmptyObject!: object;
  @Type(() => Date) @IsDate() date!: Date;
  @Equals('yes') equals!: string;
  @NotEquals('no') @IsString() notEquals!: string;
  @IsIn(['a', 'b', 3]) isIn!: unknown;
  @IsNotIn(['x']) @IsString() notIn!: string;
  @IsEnum(Color) color!: Color;
  @IsEnum(Level) level!: Level;
  @IsEmpty() empty!: unknown;
  @IsNotEmpty() notEmpty!: unknown;
  @IsDefined() defined!: unknown;
  @Min(-5) @Max(5) minMax!: number;
  @Max(10) @Min(2) @IsInt() intRange!: number;
  @IsPositive() positive!: number;
  @IsNegative() negative!: number;
  @IsDivisibleBy(3) divisible!: number;
  @MinLength(2) @MaxLength(6) lengths!: string;
  @Length(1, 3) length!: string;
  @Length(2) atLeast!: string;
  @Matches(/^[a-c]+\d?$/) matches!: string;
  @Contains('.') contains!: string;
  @NotContains('/') notContains!: string;
  @IsAlpha() alpha!: string;
  @IsAlphanumeric() alphanumeric!: string;
  @IsAscii() ascii!: string;
  @IsHexadecimal() hexadecimal!: string;
  @IsHexColor() hexColor!: string;
  @IsMongoId() mongoId!: string;
  @IsMilitaryTime() militaryTime!: string;
  @IsBooleanString() booleanString!: string;
  @IsNumberString() numberString!: string;
  @IsEmail() email!: string;
  @IsUrl() url!: string;
  @IsUUID() uuid!: string;
  @IsUUID('4') uuid4!: string;
  @IsDateString() dateString!: string;
  @IsISO8601() iso8601!: string;
  @IsRFC3339() rfc3339!: string;
  @IsIP() ip!: string;
  @IsIP('4') ip4!: string;
  @IsIP('6') ip6!: string;
  @IsFQDN() fqdn!: string;
  @ArrayNotEmpty() @IsString({ each: true }) arrayNotEmpty!: string[];
  @ArrayMinSize(1) @ArrayMaxSize(3) @IsInt({ each: true }) arraySize!: number[];
  @ArrayUnique() @IsInt({ each: true }) unique!: number[];
  @ArrayContains(['k']) @IsString({ each: true }) arrayContains!: string[];
  @ArrayNotContains(['bad']) @IsString({ each: true }) arrayNotContains!: string[];
  @IsEmail({}, { each: true }) emails!: string[];
  @IsOptional() @IsString() @MaxLength(4) optional?: string;
  @ValidateNested() @Type(() => Label) label!: Label;
  @IsOptional() @ValidateNested() @Type(() => Label) optionalLabel?: Label;
  @ValidateNested({ each: true }) @Type(() => Label) labels!: Label[];
  @ValidateNested() @Type(() => TreeNode) tree!: TreeNode;
  @ValidateNested() @Type(() => Object, petType) pet!: Cat | Dog;
  @ValidateNested({ each: true }) @Type(() => Object, petType) pets!: (Cat | Dog)[];
}

/**
 * Constraints the schema states only the type of (each reported as a warning): only the type
 * direction applies, since a string of the right type need not pass, say, `isCreditCard`.
 */
class TypeOnly {
  @IsBase32() base32!: string;
  @IsBase58() base58!: string;
  @IsBase64() base64!: string;
  @IsBIC() bic!: string;
  @IsBtcAddress() btc!: string;
  @IsByteLength(1, 4) byteLength!: string;
  @IsCreditCard() creditCard!: string;
  @IsCurrency() currency!: string;
  @IsDataURI() dataUri!: string;
  @IsDecimal() decimal!: string;
  @IsEAN() ean!: string;
  @IsEthereumAddress() ethereum!: string;
  @IsFirebasePushId() firebase!: string;
  @IsFullWidth() fullWidth!: string;
  @IsHalfWidth() halfWidth!: string;
  @IsHash('md5') hash!: string;
  @IsHSL() hsl!: string;
  @IsIBAN() iban!: string;
  @IsIdentityCard('ES') identityCard!: string;
  @IsISBN() isbn!: string;
  @IsISIN() isin!: string;
  @IsISO31661Alpha2() alpha2!: string;
  @IsISO31661Alpha3() alpha3!: string;
  @IsISO31661Numeric() countryNumeric!: string;
  @IsISO4217CurrencyCode() currencyCode!: string;
  @IsISO6391() language!: string;
  @IsISRC() isrc!: string;
  @IsISSN() issn!: string;
  @IsJSON() json!: string;
  @IsJWT() jwt!: string;
  @IsLocale() locale!: string;
  @IsLowercase() lowercase!: string;
  @IsMACAddress() mac!: string;
  @IsMagnetURI() magnet!: string;
  @IsMimeType() mime!: string;
  @IsMobilePhone() mobile!: string;
  @IsMultibyte() multibyte!: string;
  @IsOctal() octal!: string;
  @IsPassportNumber('US') passport!: string;
  @IsPhoneNumber() phone!: string;
  @IsPort() port!: string;
  @IsPostalCode('any') postalCode!: string;
  @IsRgbColor() rgb!: string;
  @IsSemVer() semver!: string;
  @IsStrongPassword() password!: string;
  @IsSurrogatePair() surrogate!: string;
  @IsTaxId('en-US') taxId!: string;
  @IsTimeZone() timeZone!: string;
  @IsUppercase() uppercase!: string;
  @IsVariableWidth() variableWidth!: string;
  @IsLatLong() latLong!: string;
  @IsLatitude() latitude!: number;
  @IsLongitude() longitude!: number;
  @IsAlpha('de-DE') alphaDe!: string;
  @IsAlphanumeric('de-DE') alphanumericDe!: string;
  @IsNumberString({ no_symbols: true }) digits!: string;
  @IsNumber({ maxDecimalPlaces: 2 }) money!: number;
  @Matches(/^[a-z]+$/i) caseless!: string;
  @IsUUID('9' as never) uuidOdd!: string;
  @ArrayUnique((item: { id: number }) => item.id) @IsObject({ each: true }) byId!: object[];
}

const ajv = addFormats(new Ajv2020({ strict: true, allowUnionTypes: true }));

/** The validator's verdict: true when it accepts `input`; anything but `InputValidationError` fails the test. */
function validatorAccepts(validate: (input: unknown) => unknown, input: unknown): boolean {
  try {
    validate(input);
    return true;
  } catch (error) {
    if (error instanceof InputValidationError) return false;
    throw error;
  }
}

/** The JSON types a property schema allows (`undefined` when it does not say). */
function typesOf(schema: JsonSchemaObject): JsonType[] | undefined {
  if (schema.type === undefined) return undefined;
  return Array.isArray(schema.type) ? [...schema.type] : [schema.type as JsonType];
}

/** The properties of `schema` whose type the schema states, with whether they are required. */
function typedFields(schema: JsonSchemaObject): { name: string; types: JsonType[]; required: boolean }[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const types = typesOf(property);
    return types ? [{ name, types, required: required.has(name) }] : [];
  });
}

describe.each([
  ['Exact', Exact],
  ['TypeOnly', TypeOnly],
])('the JSON Schema of %s agrees with its validator', (_name, schemaClass) => {
  const { schema } = jsonSchemaOf(schemaClass);
  const schemaAccepts = ajv.compile(schema);
  const validate = createInputValidator(schemaClass as new () => object);
  const validInputs = schemaArbitrary(schema).filter((input) => schemaAccepts(input));

  if (schemaClass === Exact) {
    it('expresses every constraint (the one warning: ArrayUnique, whose identifier the metadata hides)', () => {
      expect(jsonSchemaOf(schemaClass).warnings).toEqual([expect.objectContaining({ field: 'unique', constraint: 'arrayUnique' })]);
    });

    it('the validator accepts every input generated from the schema', () => {
      fc.assert(
        fc.property(validInputs, (input) => {
          expect(validatorAccepts(validate, input)).toBe(true);
        }),
        { numRuns: RUNS },
      );
    });
  } else {
    it('reports every constraint it only states the type of', () => {
      const reported = new Set(jsonSchemaOf(schemaClass).warnings.map((w) => w.field));
      expect([...reported].sort()).toEqual(Object.keys(schema.properties!).sort());
    });
  }

  const fields = typedFields(schema);
  it('states a type for the fields under test', () => {
    expect(fields.length).toBeGreaterThan(schemaClass === Exact ? 40 : 50);
  });

  // For TypeOnly, the other fields of a type-wrong input are left out: both sides reject it anyway,
  // and the type-wrong field must be one of the reasons (checked through the validator's field list).
  const baseInputs = schemaClass === Exact ? validInputs : fc.constant({});

  it('a field of the wrong JSON type is rejected by both, the validator naming that field', () => {
    const lenient: string[] = [];
    const cases = fc.constantFrom(...fields).chain((field) =>
      // `null` counts as absent for an optional field (class-validator skips it), so it is no type error there.
      wrongTypeArbitrary(field.required ? field.types : [...field.types, 'null']).map((wrong) => ({ field, wrong })),
    );
    fc.assert(
      fc.property(baseInputs, cases, (valid, { field, wrong }) => {
        const input = { ...(valid as object), [field.name]: wrong };
        expect(schemaAccepts(input)).toBe(false);
        let named: string[] = [];
        try {
          validate(input);
        } catch (error) {
          expect(error).toBeInstanceOf(InputValidationError);
          named = (error as InputValidationError).errors.map((e) => e.path.split('.')[0]!);
        }
        if (!named.includes(field.name)) lenient.push(field.name);
      }),
      { numRuns: RUNS },
    );
    expect([...new Set(lenient)]).toEqual([]);
  });

  if (schemaClass === Exact) {
    it('a missing required field or an unknown property is rejected by both', () => {
      const required = schema.required ?? [];
      const cases = fc.oneof(
        fc.constantFrom(...required).map((name) => ({ drop: name })),
        fc
          .stringMatching(/^[a-z]{1,8}$/)
          .filter((key) => !(key in schema.properties!))
          .map((key) => ({ add: key })),
      );
      fc.assert(
        fc.property(validInputs, cases, fc.jsonValue({ maxDepth: 1 }), (valid, change, value) => {
          const input: Record<string, unknown> = { ...(valid as object) };
          if ('drop' in change) delete input[change.drop];
          else input[change.add] = value ?? 1;
          expect(schemaAccepts(input)).toBe(false);
          expect(validatorAccepts(validate, input)).toBe(false);
        }),
        { numRuns: RUNS },
      );
    });

    it('discriminated sub-types: a wrong discriminator or a field of the other sub-type is rejected by both', () => {
      const wrongPets = fc.constantFrom({ kind: 'cow', lives: 1 }, { kind: 'cat', good: true }, { kind: 'dog', lives: 1 }, { lives: 1 });
      fc.assert(
        fc.property(validInputs, wrongPets, (valid, pet) => {
          const input = { ...(valid as Record<string, unknown>), pet: { ...pet } };
          expect(schemaAccepts(input)).toBe(false);
          expect(validatorAccepts(validate, input)).toBe(false);
        }),
        { numRuns: RUNS },
      );
    });

    it('nested objects: a wrong type inside an element is rejected by both', () => {
      fc.assert(
        fc.property(validInputs, wrongTypeArbitrary(['string']), (valid, wrong) => {
          const input = { ...(valid as Record<string, unknown>), labels: [{ text: wrong }] };
          expect(schemaAccepts(input)).toBe(false);
          expect(validatorAccepts(validate, input)).toBe(false);
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('coverage of the property test', () => {
  it('uses every constraint the generator maps or states the type of', () => {
    const used = new Set<string>();
    for (const cls of [Exact, TypeOnly, Label, TreeNode]) {
      prepareSchema(cls);
      for (const meta of getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false, undefined)) {
        if (meta.type === ValidationTypes.CUSTOM_VALIDATION && meta.name) used.add(meta.name);
      }
    }
    const mapped = [...Object.keys(CONSTRAINT_MAPPINGS), ...STRING_ONLY_RULES];
    expect(mapped.filter((name) => !used.has(name))).toEqual([]);
  });
});
