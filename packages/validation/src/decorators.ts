import * as classTransformer from 'class-transformer';
import * as classValidator from 'class-validator';
import type { TypeHelpOptions, TypeOptions } from 'class-transformer';
import { adaptModule } from './bridge/adaptModule';
import type { AdaptedFactory } from './bridge/fieldDecorator';
import type { SelectionAgrees } from './bridge/selection';

// Compile-time guard: the runtime exclusion rule selects exactly the property-decorator factories.
// A failure names the exports to add to (or remove from) NON_FIELD_DECORATOR_EXPORTS.
type Holds<T extends true> = T;
type _ValidatorSelection = Holds<SelectionAgrees<typeof classValidator>>;
type _TransformerSelection = Holds<SelectionAgrees<typeof classTransformer>>;

/** `@Type(thunk, { discriminator })` refers to the thunk's class and to every discriminator sub-type. */
function typeReferences(typeFunction?: (type?: TypeHelpOptions) => Function, options?: TypeOptions) {
  if (typeof typeFunction !== 'function') return undefined;
  const subTypes = options?.discriminator?.subTypes ?? [];
  return (): unknown[] => {
    const classes: unknown[] = subTypes.map((subType) => subType.value);
    if (subTypes.length === 0) return [...classes, typeFunction()];
    // With a discriminator the thunk may expect its argument; the sub-types are what matters.
    try {
      classes.push(typeFunction());
    } catch {
      /* ignored: the sub-types are prepared */
    }
    return classes;
  };
}

const validatorDecorators = adaptModule(classValidator);
// ArrayUnique is generic; a mapped type cannot carry type parameters, so it is pinned to `any` here.
const ArrayUniqueDecorator = validatorDecorators.ArrayUnique as AdaptedFactory<typeof classValidator.ArrayUnique<any>>;
const transformerDecorators = adaptModule(classTransformer, { Type: typeReferences });

/** Every class-validator property decorator, as a TC39 field decorator (same names and arguments). */
export const {
  Allow,
  ArrayContains,
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotContains,
  ArrayNotEmpty,
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
  IsInstance,
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
  MaxDate,
  MaxLength,
  Min,
  MinDate,
  MinLength,
  NotContains,
  NotEquals,
  Validate,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidatePromise,
} = validatorDecorators;

/** class-validator's `ArrayUnique`, as a TC39 field decorator. */
export const ArrayUnique = ArrayUniqueDecorator;

/** Every class-transformer property decorator, as a TC39 field decorator (same names and arguments). */
export const { Exclude, Expose, Transform, Type } = transformerDecorators;

/** All adapted decorators by name (for introspection; the named exports are the same functions). */
export const adaptedDecorators: Readonly<Record<string, (...args: any[]) => unknown>> = Object.freeze({
  ...validatorDecorators,
  ...transformerDecorators,
});

// Compile-time guard: every adapted decorator is exported by name.
type Exported = typeof import('./decorators');
type _Missing = Exclude<keyof typeof validatorDecorators | keyof typeof transformerDecorators, keyof Exported>;
type _AllExported = Holds<[_Missing] extends [never] ? true : false>;
