import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { fieldDescription } from '../description';
import { mapConstraint } from './constraints';
import { addMapping, emptyFragment, fragmentSchema, hasTypeConflict, type Fragment, type Mapping } from './fragment';
import type { TransformerView } from './transformerView';
import type { JsonSchemaObject, SchemaWarning } from './types';

/** What the property builder needs from the class builder: a `$ref` for a nested class, and where warnings go. */
export interface SchemaContext {
  /** The `$ref` of `cls`'s object schema (built on first use). */
  refOf(cls: Function, path: string): string;
  /** The object schema of `cls` with the discriminator `property` fixed to `name` (a `@Type` sub-type). */
  variantOf(cls: Function, property: string, name: string, keep: boolean, path: string): JsonSchemaObject;
  /** Records a constraint the schema does not express. */
  warn(warning: SchemaWarning): void;
}

/** One property's JSON Schema and whether the input must carry it. */
export interface PropertySchema {
  readonly schema: JsonSchemaObject;
  readonly required: boolean;
}

/** The name a constraint is known by: class-validator's `name` (`isString`), else its constraint class's. */
function constraintName(meta: ValidationMetadata): string {
  if (meta.name) return meta.name;
  if (meta.constraintCls) {
    const [constraint] = getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls);
    if (constraint?.name) return constraint.name;
    if (meta.constraintCls.name) return meta.constraintCls.name;
  }
  return 'customValidation';
}

/** The schema of `@ValidateNested` values: a `$ref` to the `@Type` class, or a reported plain object. */
function nestedMapping(view: TransformerView, path: string, context: SchemaContext): Mapping {
  const { discriminator } = view;
  if (discriminator) {
    // An unknown name falls back to @Type's own class; the schema lists the named sub-types only.
    const variants = discriminator.subTypes.map(({ name, value }) =>
      context.variantOf(value, discriminator.property, name, discriminator.keep, path),
    );
    return { types: ['object'], keywords: { oneOf: variants } };
  }
  if (!view.type) {
    context.warn({
      field: path,
      constraint: 'nestedValidation',
      reason: '@ValidateNested without @Type(() => Class): the validator has no class to validate the object against and refuses it',
    });
    return { types: ['object'] };
  }
  return { types: ['object'], keywords: { $ref: context.refOf(view.type, path) } };
}

/**
 * The JSON Schema of one property from its class-validator metadata (the class's and its
 * ancestors'): constraints with `each: true` describe the items of an array, the others the value;
 * it is required unless `@IsOptional` / `@ValidateIf` applies or none of its rules refuses a missing
 * value (`@Allow()` alone, `@IsEmpty()`…); nested objects are `$ref`s. Every constraint the
 * schema cannot express is reported through `context.warn`.
 */
export function propertySchema(
  cls: Function,
  property: string,
  metadatas: readonly ValidationMetadata[],
  view: TransformerView,
  path: string,
  context: SchemaContext,
): PropertySchema {
  const value = emptyFragment();
  const item = emptyFragment();
  let collection = false;
  let optional = false;
  let defined = false;
  /** Some rule refuses a missing value (class-validator passes `undefined` to every rule of a field without a condition). */
  let refusesAbsent = false;
  const add = (each: boolean, mapping: Mapping) => {
    addMapping(each ? item : value, mapping);
    collection ||= each;
  };
  for (const meta of metadatas) {
    switch (meta.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        optional = true;
        if (meta.name !== 'isOptional') {
          context.warn({
            field: path,
            constraint: '@ValidateIf',
            reason:
              'a condition on other fields cannot be expressed; the field is optional and its rules are stated as if the condition held',
          });
        }
        break;
      case ValidationTypes.WHITELIST:
        break;
      case ValidationTypes.IS_DEFINED:
        defined = refusesAbsent = true;
        break;
      case ValidationTypes.NESTED_VALIDATION:
        add(meta.each === true, nestedMapping(view, path, context));
        refusesAbsent = true; // the strict checks refuse a missing nested object
        break;
      case ValidationTypes.CUSTOM_VALIDATION: {
        const name = constraintName(meta);
        const mapping = mapConstraint(name, { constraints: meta.constraints ?? [], dateInput: view.type === Date });
        add(meta.each === true, mapping);
        refusesAbsent ||= mapping.acceptsAbsent !== true;
        if (mapping.unsupported) context.warn({ field: path, constraint: name, reason: mapping.unsupported });
        break;
      }
      default:
        context.warn({
          field: path,
          constraint: String(meta.type),
          reason: 'an unknown kind of class-validator rule; the schema says nothing about it',
        });
    }
  }
  if (view.transformed) {
    context.warn({
      field: path,
      constraint: '@Transform',
      reason: 'the value is rewritten before validation; the schema describes the value the validator sees',
    });
  }
  if (collection) addMapping(value, { types: ['array'], keywords: { items: fragmentSchema(item) } });
  if (defined && value.types === undefined) addMapping(value, { keywords: { not: { type: 'null' } } });
  for (const fragment of [value, item] as Fragment[]) {
    if (hasTypeConflict(fragment))
      context.warn({ field: path, constraint: 'type', reason: 'the rules require types that exclude each other: no value passes' });
  }
  const description = fieldDescription(cls, property);
  const schema = fragmentSchema(value);
  return { schema: description === undefined ? schema : { ...schema, description }, required: !optional && refusesAbsent };
}
