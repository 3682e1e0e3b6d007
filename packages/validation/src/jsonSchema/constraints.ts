import type { Mapping } from './fragment';
import type { JsonType, JsonValue } from './types';

/** What a constraint mapping can read: the decorator's arguments, and what class-transformer does first. */
export interface ConstraintInput {
  /** class-validator's `ValidationMetadata.constraints` (the decorator's arguments). */
  readonly constraints: readonly unknown[];
  /** True when a `@Type(() => Date)` turns the input value into a `Date` before validation. */
  readonly dateInput: boolean;
}

type ConstraintMapper = (input: ConstraintInput) => Mapping;

const STRING: readonly JsonType[] = ['string'];
const NUMBER: readonly JsonType[] = ['number'];
const ARRAY: readonly JsonType[] = ['array'];

/** A string constraint expressed by a pattern (validator.js's own regular expression, case spelled out). */
const stringPattern =
  (pattern: string): ConstraintMapper =>
  () => ({ types: STRING, keywords: { pattern } });
/** A string constraint expressed by a format. */
const stringFormat =
  (format: string, extra: Record<string, unknown> = {}): ConstraintMapper =>
  () => ({ types: STRING, keywords: { format, ...extra } });

/** `value` as a JSON value a schema can hold (`undefined` when it is not one: a function, a symbol, NaN…). */
export function jsonValue(value: unknown): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return undefined;
}

/** The JSON type of a JSON primitive. */
function typeOf(value: JsonValue): JsonType {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

/** `{ enum }` for a list of primitives (`===` semantics match JSON Schema's for them), or an unsupported mapping. */
function enumOf(values: unknown, what: string): { values: JsonValue[]; types: JsonType[] } | string {
  if (!Array.isArray(values)) return `${what} is not an array`;
  const out: JsonValue[] = [];
  for (const value of values) {
    const json = jsonValue(value);
    if (json === undefined) return `${what} holds ${String(value)}, which is not a JSON primitive`;
    out.push(json);
  }
  const types = new Set<JsonType>(out.map(typeOf));
  if (types.has('integer') && types.has('number')) types.delete('integer');
  return { values: out, types: [...types] };
}

/**
 * The values of a TypeScript enum object, without the reverse-mapping entries of numeric members
 * (`enum Level { Low = 1 }` is `{ Low: 1, '1': 'Low' }`: the entry `'1'` is not a value). The
 * validator accepts those names too; the schema is narrower on purpose.
 */
function enumValues(entity: unknown): unknown[] {
  if (entity === null || typeof entity !== 'object') return [];
  const record = entity as Record<string, unknown>;
  const isReverseEntry = (key: string) => typeof record[key] === 'string' && record[record[key] as string] === Number(key);
  return Object.keys(record)
    .filter((key) => !isReverseEntry(key))
    .map((key) => record[key]);
}

/** `source` with every regular-expression metacharacter escaped. */
function escapeRegExp(source: string): string {
  return source.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

const HEX = '[0-9a-fA-F]';
/** validator.js `isUUID` regular expressions, case spelled out (the schema's `pattern` has no flags). */
function uuidPattern(version: unknown): string | undefined {
  const v = version === undefined || version === null ? 'all' : String(version).toLowerCase();
  if (v === 'all') {
    return `^(?:${HEX}{8}-${HEX}{4}-[1-8]${HEX}{3}-[89abAB]${HEX}{3}-${HEX}{12}|00000000-0000-0000-0000-000000000000|[fF]{8}-[fF]{4}-[fF]{4}-[fF]{4}-[fF]{12})$`;
  }
  if (/^[1-8]$/.test(v)) return `^${HEX}{8}-${HEX}{4}-${v}${HEX}{3}-[89abAB]${HEX}{3}-${HEX}{12}$`;
  if (v === 'loose') return `^${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}$`;
  return undefined;
}

/** `@Matches(pattern, modifiers?)`: a pattern with flags cannot be a JSON Schema `pattern` (it has none). */
function matchesMapping({ constraints }: ConstraintInput): Mapping {
  const [pattern, modifiers] = constraints;
  const source = pattern instanceof RegExp ? pattern.source : typeof pattern === 'string' ? pattern : undefined;
  const flags = `${pattern instanceof RegExp ? pattern.flags : ''}${typeof modifiers === 'string' ? modifiers : ''}`.replace(/[gyud]/g, '');
  if (source === undefined) return { types: STRING, unsupported: 'the pattern is neither a RegExp nor a string' };
  if (flags !== '')
    return {
      types: STRING,
      unsupported: `the pattern /${source}/ has flags "${flags}", which a JSON Schema pattern cannot carry; only the string type is stated`,
    };
  return { types: STRING, keywords: { pattern: source } };
}

/** `@IsNumber({ maxDecimalPlaces })` has no exact JSON Schema form (a float `multipleOf` is not exact). */
function numberMapping({ constraints }: ConstraintInput): Mapping {
  const options = (constraints[0] ?? {}) as { maxDecimalPlaces?: number };
  if (options.maxDecimalPlaces !== undefined)
    return { types: NUMBER, unsupported: `maxDecimalPlaces: ${options.maxDecimalPlaces} is checked by the validator only` };
  return { types: NUMBER };
}

/** A string rule of validator.js with no JSON Schema equivalent: the type is stated, the rule is reported. */
function stringOnly(rule: string): Mapping {
  return { types: STRING, unsupported: `${rule} has no JSON Schema equivalent; only the string type is stated` };
}

/** A validator.js rule with a locale argument: its `en-US` expression (the default), else reported. */
const localePattern =
  (rule: string, pattern: string): ConstraintMapper =>
  ({ constraints }) =>
    constraints[0] === undefined || constraints[0] === 'en-US'
      ? { types: STRING, keywords: { pattern } }
      : stringOnly(`${rule}('${String(constraints[0])}')`);

/**
 * class-validator constraint name → its JSON Schema. Each mapping states the JSON types the
 * validator's check accepts (class-validator's checks test `typeof` first, so `@Min(1)` only passes
 * numbers) and the keywords; a mapping marked `unsupported` is reported as a `SchemaWarning`. Where a
 * format is named, the validator's own rule (validator.js) stays the authority on its details.
 */
export const CONSTRAINT_MAPPINGS: Readonly<Record<string, ConstraintMapper>> = {
  // types
  isString: () => ({ types: STRING }),
  isNumber: numberMapping,
  isInt: () => ({ types: ['integer'] }),
  isBoolean: () => ({ types: ['boolean'] }),
  isArray: () => ({ types: ARRAY }),
  isObject: () => ({ types: ['object'] }),
  isNotEmptyObject: ({ constraints }) =>
    (constraints[0] as { nullable?: boolean } | undefined)?.nullable === false
      ? {
          types: ['object'],
          keywords: { minProperties: 1 },
          unsupported: 'nullable: false (some property must be non-null) is checked by the validator only',
        }
      : { types: ['object'], keywords: { minProperties: 1 } },
  isDate: ({ dateInput }) =>
    dateInput
      ? { types: STRING, keywords: { format: 'date-time' } }
      : { unsupported: 'a Date instance cannot come from JSON; add @Type(() => Date) to accept an ISO date-time string' },
  // values
  equals: ({ constraints }) => {
    const value = jsonValue(constraints[0]);
    return value === undefined
      ? { unsupported: 'the comparison value is not a JSON primitive' }
      : { types: [typeOf(value)], keywords: { const: value } };
  },
  notEquals: ({ constraints }) => {
    const value = jsonValue(constraints[0]);
    return value === undefined
      ? { unsupported: 'the comparison value is not a JSON primitive' }
      : { keywords: { not: { const: value } }, acceptsAbsent: true };
  },
  isIn: ({ constraints }) => {
    const found = enumOf(constraints[0], 'the list');
    return typeof found === 'string' ? { unsupported: found } : { types: found.types, keywords: { enum: found.values } };
  },
  isNotIn: ({ constraints }) => {
    const found = enumOf(constraints[0], 'the list');
    return typeof found === 'string' ? { unsupported: found } : { keywords: { not: { enum: found.values } }, acceptsAbsent: true };
  },
  isEnum: ({ constraints }) => {
    const found = enumOf(enumValues(constraints[0]), 'the enum');
    return typeof found === 'string' ? { unsupported: found } : { types: found.types, keywords: { enum: found.values } };
  },
  isEmpty: () => ({ types: ['string', 'null'], keywords: { enum: ['', null] }, acceptsAbsent: true }),
  isNotEmpty: () => ({ keywords: { not: { enum: ['', null] } } }),
  // numbers
  min: ({ constraints }) => ({ types: NUMBER, keywords: { minimum: constraints[0] } }),
  max: ({ constraints }) => ({ types: NUMBER, keywords: { maximum: constraints[0] } }),
  isPositive: () => ({ types: NUMBER, keywords: { exclusiveMinimum: 0 } }),
  isNegative: () => ({ types: NUMBER, keywords: { exclusiveMaximum: 0 } }),
  isDivisibleBy: ({ constraints }) => ({ types: NUMBER, keywords: { multipleOf: constraints[0] } }),
  // string lengths and contents
  minLength: ({ constraints }) => ({ types: STRING, keywords: { minLength: constraints[0] } }),
  maxLength: ({ constraints }) => ({ types: STRING, keywords: { maxLength: constraints[0] } }),
  isLength: ({ constraints }) => ({
    types: STRING,
    keywords: typeof constraints[1] === 'number' ? { minLength: constraints[0], maxLength: constraints[1] } : { minLength: constraints[0] },
  }),
  matches: matchesMapping,
  contains: ({ constraints }) => ({ types: STRING, keywords: { pattern: escapeRegExp(String(constraints[0])) } }),
  notContains: ({ constraints }) => ({ types: STRING, keywords: { not: { pattern: escapeRegExp(String(constraints[0])) } } }),
  isAlpha: localePattern('isAlpha', '^[A-Za-z]+$'),
  isAlphanumeric: localePattern('isAlphanumeric', '^[0-9A-Za-z]+$'),
  isAscii: stringPattern('^[\\x00-\\x7F]+$'),
  isHexadecimal: stringPattern('^(0[xXhH])?[0-9A-Fa-f]+$'),
  isHexColor: stringPattern('^#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$'),
  isMongoId: stringPattern('^[0-9A-Fa-f]{24}$'),
  isMilitaryTime: stringPattern('^([01]\\d|2[0-3]):?([0-5]\\d)$'),
  isBooleanString: () => ({ types: STRING, keywords: { enum: ['true', 'false', '1', '0'] } }),
  isNumberString: ({ constraints }) =>
    constraints[0] === undefined
      ? { types: STRING, keywords: { pattern: '^[+-]?([0-9]*[.])?[0-9]+$' } }
      : stringOnly('isNumberString with options'),
  // formats
  isEmail: stringFormat('email'),
  isUrl: stringFormat('uri'),
  isUuid: ({ constraints }) => {
    const pattern = uuidPattern(constraints[0]);
    return pattern
      ? { types: STRING, keywords: { format: 'uuid', pattern } }
      : {
          types: STRING,
          keywords: { format: 'uuid' },
          unsupported: `UUID version ${String(constraints[0])} is checked by the validator only`,
        };
  },
  isDateString: stringFormat('date-time'),
  isIso8601: stringFormat('date-time'),
  isRFC3339: stringFormat('date-time'),
  isIp: ({ constraints }) => {
    const version = String(constraints[0] ?? '');
    if (version === '4' || version === '6') return { types: STRING, keywords: { format: `ipv${version}` } };
    return { types: STRING, keywords: { anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] } };
  },
  isFqdn: stringFormat('hostname'),
  isLatitude: () => ({
    types: ['number', 'string'],
    unsupported: 'the latitude range (a number, or a numeric string) is checked by the validator only',
  }),
  isLongitude: () => ({
    types: ['number', 'string'],
    unsupported: 'the longitude range (a number, or a numeric string) is checked by the validator only',
  }),
  // arrays
  arrayNotEmpty: () => ({ types: ARRAY, keywords: { minItems: 1 } }),
  arrayMinSize: ({ constraints }) => ({ types: ARRAY, keywords: { minItems: constraints[0] } }),
  arrayMaxSize: ({ constraints }) => ({ types: ARRAY, keywords: { maxItems: constraints[0] } }),
  // class-validator compares items with ===, objects by reference, or by an identifier function that
  // its metadata does not record: `uniqueItems` (JSON equality) is exact for primitives only.
  arrayUnique: () => ({
    types: ARRAY,
    keywords: { uniqueItems: true },
    unsupported:
      'stated as uniqueItems (JSON equality); the validator compares objects by reference, or items by an identifier function its metadata does not show',
  }),
  arrayContains: ({ constraints }) => {
    const found = enumOf(constraints[0], 'the list');
    if (typeof found === 'string') return { types: ARRAY, unsupported: found };
    return { types: ARRAY, keywords: { allOf: found.values.map((value) => ({ contains: { const: value } })) } };
  },
  arrayNotContains: ({ constraints }) => {
    const found = enumOf(constraints[0], 'the list');
    return typeof found === 'string'
      ? { types: ARRAY, unsupported: found }
      : { types: ARRAY, keywords: { items: { not: { enum: found.values } } } };
  },
};

/**
 * class-validator string rules (each tests `typeof value === 'string'` first) with no JSON Schema
 * equivalent: the schema states the string type and the rule is reported.
 */
export const STRING_ONLY_RULES = [
  'isBase32',
  'isBase58',
  'isBase64',
  'isBIC',
  'isBtcAddress',
  'isByteLength',
  'isCreditCard',
  'isCurrency',
  'isDataURI',
  'isDecimal',
  'isEAN',
  'isEthereumAddress',
  'IsFirebasePushId',
  'isFullWidth',
  'isHalfWidth',
  'isHash',
  'isHSL',
  'isIBAN',
  'isIdentityCard',
  'isIsbn',
  'isIsin',
  'isISO31661Alpha2',
  'isISO31661Alpha3',
  'isISO31661Numeric',
  'isISO4217CurrencyCode',
  'isISO6391',
  'isISRC',
  'isISSN',
  'isJson',
  'isJwt',
  'isLocale',
  'isLowercase',
  'isMacAddress',
  'isMagnetURI',
  'isMimeType',
  'isMobilePhone',
  'isMultibyte',
  'isOctal',
  'isPassportNumber',
  'isPhoneNumber',
  'isPort',
  'isPostalCode',
  'isRgbColor',
  'isSemVer',
  'isStrongPassword',
  'isSurrogatePair',
  'isTaxId',
  'isTimeZone',
  'isUppercase',
  'isVariableWidth',
  'isLatLong',
] as const;

/** The mapping of the constraint `name`; unknown names (custom constraints, `@Validate`) are reported. */
export function mapConstraint(name: string, input: ConstraintInput): Mapping {
  const mapper = Object.prototype.hasOwnProperty.call(CONSTRAINT_MAPPINGS, name) ? CONSTRAINT_MAPPINGS[name] : undefined;
  if (mapper) return mapper(input);
  if ((STRING_ONLY_RULES as readonly string[]).includes(name)) return stringOnly(name);
  return { unsupported: 'a custom or unmapped constraint is checked by the validator only; the schema says nothing about it' };
}
