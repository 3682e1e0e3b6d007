import { schemaClasses } from '../bridge/prepareSchema';
import { ownLegacyFields } from '../bridge/schemaRegistry';
import { isPlainObject } from './plainObject';
import { transformerStorage } from './transformerMetadata';

/**
 * Whether `plainToInstance(schema, input)` may write to `input`: class-transformer deletes the
 * discriminator property from the plain object it reads a `@Type(…, { discriminator })` value from,
 * unless `keepDiscriminatorProperty: true`. True when a class the schema reaches has such a field
 * (or when class-transformer's metadata cannot be read). Call after `prepareSchema`.
 */
export function transformMutatesInput(schema: Function): boolean {
  const storage = transformerStorage();
  if (storage === undefined) return true;
  return schemaClasses(schema).some((cls) =>
    ownLegacyFields(cls).some((field) => {
      const options = storage.findTypeMetadata(cls, field.property)?.options;
      return options?.discriminator !== undefined && options.keepDiscriminatorProperty !== true;
    }),
  );
}

/**
 * A copy of the plain data in `input` (plain objects and arrays, at every depth; any other value is
 * shared), for class-transformer to consume in place of the caller's object. Only called on an input
 * the depth walk accepted (bounded, acyclic). Own enumerable string keys are copied, as
 * `plainToInstance` reads them; a `__proto__` key stays an own data property.
 */
export function copyPlainData<T>(input: T): T {
  if (Array.isArray(input)) return input.map(copyPlainData) as T;
  if (!isPlainObject(input)) return input;
  const copy: Record<string, unknown> = Object.getPrototypeOf(input) === null ? Object.create(null) : {};
  for (const key of Object.keys(input)) {
    Object.defineProperty(copy, key, {
      value: copyPlainData((input as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy as T;
}
