import { Exclude, TransformationType } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

/**
 * True when `candidate` is the storage class-transformer's decorators write to: a copy from another
 * build (a bundler resolving `class-transformer` to its ESM files) would see no metadata at all.
 */
function isStorageInUse(candidate: MetadataStorage): boolean {
  class Probe {}
  Exclude()(Probe.prototype, 'probe');
  return candidate.getExcludedMetadatas(Probe).length === 1;
}

/**
 * class-transformer's metadata singleton. Not in its root exports, but it is the module its own
 * decorators write to (`cjs/storage`), so it sees every `@Type`/`@Transform`/`@Expose`/`@Exclude`,
 * whoever applied them: this package's adapted decorators, a custom `adaptLegacyDecorator` built on
 * class-transformer, or a direct legacy call. `undefined` when it cannot be read or is not the one
 * in use: callers then assume every property may be transformed.
 */
const storage: MetadataStorage | undefined = (() => {
  try {
    // require: the file has no typings of its own (they are under class-transformer/types).
    const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage?: MetadataStorage };
    const methods = ['getStrategy', 'getExposedMetadatas', 'getExcludedMetadatas', 'findTypeMetadata', 'findTransformMetadatas'] as const;
    const readable = defaultMetadataStorage && methods.every((m) => typeof defaultMetadataStorage[m] === 'function');
    return readable && isStorageInUse(defaultMetadataStorage) ? defaultMetadataStorage : undefined;
  } catch {
    return undefined;
  }
})();

/** class-transformer's metadata storage (see `storage`), or `undefined` when it cannot be read. */
export function transformerStorage(): MetadataStorage | undefined {
  return storage;
}

/**
 * The properties among `candidates` that `plainToInstance(cls, plain)` copies from `plain` unchanged
 * (when the value is not an object): no `@Type` and no plain-to-class `@Transform` on the property
 * (on `cls` or an ancestor). `undefined` when `cls` has any `@Expose`/`@Exclude` (they rename, add or
 * drop properties across the whole object) or class-transformer's metadata cannot be read.
 * Read it after `prepareSchema`, which is when the adapted decorators reach class-transformer.
 */
export function untransformedProperties(cls: Function, candidates: Iterable<string>): Set<string> | undefined {
  if (!storage) return undefined;
  if (storage.getStrategy(cls) !== 'none' || storage.getExposedMetadatas(cls).length > 0 || storage.getExcludedMetadatas(cls).length > 0) {
    return undefined;
  }
  const properties = new Set<string>();
  for (const property of candidates) {
    if (storage.findTypeMetadata(cls, property)) continue;
    if (storage.findTransformMetadatas(cls, property, TransformationType.PLAIN_TO_CLASS).length > 0) continue;
    properties.add(property);
  }
  return properties;
}

/**
 * The key of the plain input `plainToInstance(cls, plain)` reads `property` from (its `@Expose`
 * name, else the property), when the input value there is what the property receives, as it is or
 * converted by a `@Type`; `undefined` when that cannot be said: a plain-to-class `@Transform` on the
 * property, an `excludeAll` strategy, or class-transformer's metadata cannot be read.
 */
export function inputKeyOf(cls: Function, property: string): string | undefined {
  if (!storage || storage.getStrategy(cls) !== 'none') return undefined;
  if (storage.findTransformMetadatas(cls, property, TransformationType.PLAIN_TO_CLASS).length > 0) return undefined;
  const expose = storage.findExposeMetadata(cls, property);
  return expose?.options?.name !== undefined && expose.options.toPlainOnly !== true ? expose.options.name : property;
}

/**
 * The class `@Type` names for `property` of `cls`, its thunk called now (the classes exist once the schema
 * is prepared), or `undefined`: no `@Type`, unreadable metadata, or a thunk that throws without the
 * argument class-transformer passes it (a discriminator's may; its sub-types are what matters then).
 */
export function typeTargetOf(cls: Function, property: string): Function | undefined {
  const metadata = storage?.findTypeMetadata(cls, property);
  if (metadata === undefined) return undefined;
  try {
    const target: unknown = metadata.typeFunction();
    return typeof target === 'function' ? target : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when `@Type(() => Date)` types `property` of `cls`: `plainToInstance` then hands the input value
 * to `new Date(value)`, which makes a date of nearly anything (`false`, `0`, `[2020]`).
 */
export function isDateTyped(cls: Function, property: string): boolean {
  return typeTargetOf(cls, property) === Date;
}
