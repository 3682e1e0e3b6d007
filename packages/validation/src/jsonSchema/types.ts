/** A JSON value, as a JSON Schema keyword can hold it. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A JSON Schema (draft 2020-12) object, read-only. The common keywords are typed; any other keyword
 * (`$defs`, `allOf`, vendor keywords from a Standard Schema converter…) is a JSON value.
 */
export interface JsonSchemaObject {
  readonly $schema?: string;
  readonly $ref?: string;
  readonly $defs?: { readonly [name: string]: JsonSchemaObject };
  readonly type?: JsonType | readonly JsonType[];
  readonly description?: string;
  readonly properties?: { readonly [name: string]: JsonSchemaObject };
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchemaObject;
  readonly items?: JsonSchemaObject;
  readonly enum?: readonly JsonValue[];
  readonly const?: JsonValue;
  readonly format?: string;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly minProperties?: number;
  readonly not?: JsonSchemaObject;
  readonly allOf?: readonly JsonSchemaObject[];
  readonly anyOf?: readonly JsonSchemaObject[];
  readonly oneOf?: readonly JsonSchemaObject[];
  readonly [keyword: string]: unknown;
}

/** The JSON Schema instance types. */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

/** A constraint of a schema that the generated JSON Schema does not express (fully). */
export interface SchemaWarning {
  /** Dotted path of the field from the schema root (`items.name` for a field of an `items` element), `''` for the whole input. */
  readonly field: string;
  /** The constraint, by its class-validator name (`isMobilePhone`, `matches`…) or decorator (`@Transform`). */
  readonly constraint: string;
  /** Why it is not expressed, and what the schema says instead. */
  readonly reason: string;
}

/** `jsonSchemaOf`'s answer: the schema, and every constraint it could not express. */
export interface JsonSchemaResult {
  /** A draft 2020-12 schema of the plain input the validator accepts (frozen). */
  readonly schema: JsonSchemaObject;
  /** Constraints the validator checks that the schema does not express (frozen; empty when none). */
  readonly warnings: readonly SchemaWarning[];
}

/** Options of `jsonSchemaOf`. */
export interface JsonSchemaOptions {
  /**
   * As `ValidateOptions.forbidUnknown` (default true): when true every object schema has
   * `additionalProperties: false`; when false unknown properties are stripped by the validator, so
   * the schema allows them.
   */
  readonly forbidUnknown?: boolean;
}

/** The `$schema` of every generated schema. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
