// First: reflect-metadata (class-transformer's @Type reads Reflect.getMetadata) and @aiecs/core
// (the Symbol.metadata polyfill), before any schema class is defined.
import 'reflect-metadata';
import '@aiecs/core';

export * from './decorators';
export type { FieldDecorator, AdaptedFactory } from './bridge/fieldDecorator';
export { adaptLegacyDecorator, type ReferenceResolver } from './bridge/adaptLegacyDecorator';
export { prepareSchema } from './bridge/prepareSchema';
export { createInputValidator, validateInput, DEFAULT_MAX_DEPTH, type InputValidator } from './strictValidator';
export * from './jsonSchema';
export { Description, type DescriptionDecorator } from './description';
export * from './standardSchema';
