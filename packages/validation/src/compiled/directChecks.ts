import * as cv from 'class-validator';
import type { ValidationArguments } from 'class-validator';

/** A check of one value against one rule: true when the value passes. */
export type ValueCheck = (value: unknown) => boolean;

type Direct = (value: unknown, c0: unknown, c1: unknown) => boolean;

/**
 * class-validator's built-in rules whose decorator's constraint is exactly
 * `fn(value, constraints[0], constraints[1])` (read from class-validator 0.15's decorator sources,
 * e.g. `validate: (value, args) => minLength(value, args?.constraints[0])`), by the metadata name
 * the decorator registers. Calling the function straight away skips the constraint instance, the
 * `ValidationArguments` object built per value, and the executor around them. Rules not listed
 * (custom constraints, rules whose options live in a closure such as `IsDateString`, `ArrayUnique`,
 * `IsIBAN`, `IsMACAddress`) are called through their constraint instance instead (`constraintCheck`).
 */
const DIRECT: Readonly<Record<string, Direct>> = {
  isString: (v) => cv.isString(v),
  isNumber: (v, c0) => cv.isNumber(v, c0 as cv.IsNumberOptions),
  isInt: (v) => cv.isInt(v),
  isBoolean: (v) => cv.isBoolean(v),
  isArray: (v) => cv.isArray(v),
  isObject: (v) => cv.isObject(v),
  isDate: (v) => cv.isDate(v),
  isDefined: (v) => cv.isDefined(v),
  isNotEmpty: (v) => cv.isNotEmpty(v),
  isEmpty: (v) => cv.isEmpty(v),
  isNotEmptyObject: (v, c0) => cv.isNotEmptyObject(v, c0 as { nullable?: boolean }),
  equals: (v, c0) => cv.equals(v, c0),
  notEquals: (v, c0) => cv.notEquals(v, c0),
  isIn: (v, c0) => cv.isIn(v, c0 as readonly unknown[]),
  isNotIn: (v, c0) => cv.isNotIn(v, c0 as readonly unknown[]),
  isEnum: (v, c0) => cv.isEnum(v, c0),
  min: (v, c0) => cv.min(v, c0 as number),
  max: (v, c0) => cv.max(v, c0 as number),
  isPositive: (v) => cv.isPositive(v),
  isNegative: (v) => cv.isNegative(v),
  isDivisibleBy: (v, c0) => cv.isDivisibleBy(v, c0 as number),
  minLength: (v, c0) => cv.minLength(v, c0 as number),
  // class-validator counts a surrogate pair as one character and a variation selector as none (two
  // regex scans per string), never more than the UTF-16 length: a string within the limit passes without them.
  maxLength: (v, c0) => (typeof v === 'string' && v.length <= (c0 as number)) || cv.maxLength(v, c0 as number),
  isLength: (v, c0, c1) => cv.length(v, c0 as number, c1 as number),
  matches: (v, c0, c1) => cv.matches(v as string, c0 as never, c1 as never),
  contains: (v, c0) => cv.contains(v, c0 as string),
  notContains: (v, c0) => cv.notContains(v, c0 as string),
  arrayMinSize: (v, c0) => cv.arrayMinSize(v, c0 as number),
  arrayMaxSize: (v, c0) => cv.arrayMaxSize(v, c0 as number),
  arrayNotEmpty: (v) => cv.arrayNotEmpty(v),
  arrayContains: (v, c0) => cv.arrayContains(v, c0 as unknown[]),
  arrayNotContains: (v, c0) => cv.arrayNotContains(v, c0 as unknown[]),
  isEmail: (v, c0) => cv.isEmail(v, c0 as never),
  isUrl: (v, c0) => cv.isURL(v as string, c0 as never),
  isUuid: (v, c0) => cv.isUUID(v, c0 as never),
  isIso8601: (v, c0) => cv.isISO8601(v, c0 as never),
  isRFC3339: (v) => cv.isRFC3339(v),
  isIp: (v, c0) => cv.isIP(v, c0 as never),
  isFqdn: (v, c0) => cv.isFQDN(v, c0 as never),
  isAlpha: (v, c0) => cv.isAlpha(v, c0 as never),
  isAlphanumeric: (v, c0) => cv.isAlphanumeric(v, c0 as never),
  isAscii: (v) => cv.isAscii(v),
  isNumberString: (v, c0) => cv.isNumberString(v, c0 as never),
  isLowercase: (v) => cv.isLowercase(v),
  isUppercase: (v) => cv.isUppercase(v),
  isHexadecimal: (v) => cv.isHexadecimal(v),
  isHexColor: (v) => cv.isHexColor(v),
  isBase64: (v, c0) => cv.isBase64(v, c0 as never),
  isJson: (v) => cv.isJSON(v),
  isJwt: (v) => cv.isJWT(v),
  isSemVer: (v) => cv.isSemVer(v),
  isPort: (v) => cv.isPort(v),
  isLatitude: (v) => cv.isLatitude(v as string),
  isLongitude: (v) => cv.isLongitude(v as string),
  isLatLong: (v) => cv.isLatLong(v as string),
  isMongoId: (v) => cv.isMongoId(v),
  isLocale: (v) => cv.isLocale(v),
  isTimeZone: (v) => cv.isTimeZone(v),
  isMimeType: (v) => cv.isMimeType(v),
  isBooleanString: (v) => cv.isBooleanString(v),
  isMilitaryTime: (v) => cv.isMilitaryTime(v),
  isHash: (v, c0) => cv.isHash(v, c0 as never),
  isISO31661Alpha2: (v) => cv.isISO31661Alpha2(v),
  isISO31661Alpha3: (v) => cv.isISO31661Alpha3(v),
  isISO4217CurrencyCode: (v) => cv.isISO4217CurrencyCode(v),
  isPhoneNumber: (v, c0) => cv.isPhoneNumber(v as string, c0 as never),
};

/**
 * Values a direct check is compared with before it is trusted: a custom constraint registered under
 * a built-in's name (`registerDecorator({ name: 'isString', … })`) gives itself away on one of them,
 * and is then called through its constraint instance like any custom rule.
 */
const PROBES: readonly unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  2.5,
  42,
  1e21,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -7,
  '',
  'a',
  'abc',
  'ABC',
  ' x ',
  '42',
  '-1.5',
  'true',
  'hello world',
  'ann@example.com',
  'https://example.com/a?b=1',
  '2024-01-02T03:04:05Z',
  '123e4567-e89b-12d3-a456-426614174000',
  '127.0.0.1',
  'eur',
  'x'.repeat(300),
  '😀😀',
  [],
  ['a'],
  [1, 2, 3],
  ['a', 'b', 'c', 'd', 'e'],
  {},
  { a: 1 },
  new Date(0),
];

/** True for a Promise-like result (an async rule: never trusted by the compiled path). */
export function isThenable(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** A built-in constraint instance's `validate`, as class-validator's executor calls it. */
export type ConstraintValidate = (value: unknown, args: ValidationArguments) => unknown;

/**
 * The direct check for a rule named `name` with `constraints`, when the table has one and it agrees
 * with the rule's own constraint (`validate`) on every probe value; `undefined` otherwise.
 */
export function directCheck(
  name: string | undefined,
  constraints: readonly unknown[] | undefined,
  validate: ConstraintValidate,
): ValueCheck | undefined {
  const direct = name === undefined || !Object.prototype.hasOwnProperty.call(DIRECT, name) ? undefined : DIRECT[name]!;
  if (direct === undefined) return undefined;
  const c0 = constraints?.[0];
  const c1 = constraints?.[1];
  // class-validator reads the result as a truth value (`isNumber(Infinity)` answers `undefined`).
  const check: ValueCheck = (value) => !!direct(value, c0, c1);
  for (const probe of PROBES) {
    let expected: unknown;
    let actual: boolean;
    try {
      expected = validate(probe, {
        targetName: 'Probe',
        property: 'probe',
        object: {},
        value: probe,
        constraints: (constraints ?? []) as unknown[],
      });
      actual = check(probe);
    } catch {
      return undefined;
    }
    if (isThenable(expected) || !!expected !== actual) return undefined;
  }
  return check;
}
