export { jsonSchemaOf } from './jsonSchemaOf';
export {
  JSON_SCHEMA_DIALECT,
  type JsonSchemaObject,
  type JsonSchemaOptions,
  type JsonSchemaResult,
  type JsonType,
  type JsonValue,
  type SchemaWarning,
} from './types';
