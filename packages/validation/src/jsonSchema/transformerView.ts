import { TransformationType } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

/**
 * class-transformer's metadata singleton, where its decorators (and so this package's adapted ones,
 * once `prepareSchema` replayed them) record `@Type`, `@Expose`, `@Exclude` and `@Transform`.
 * `undefined` when the module cannot be read; the generator then reports nested fields instead.
 */
const storage: MetadataStorage | undefined = (() => {
  try {
    // Not in the root exports; it is the module class-transformer's own decorators write to.
    return (require('class-transformer/cjs/storage') as { defaultMetadataStorage?: MetadataStorage }).defaultMetadataStorage;
  } catch {
    return undefined;
  }
})();

/** How class-transformer treats one property of a plain input before validation. */
export interface TransformerView {
  /** The input key the property is read from (its `@Expose({ name })`, else its name); `undefined` when `@Exclude`d. */
  readonly inputKey: string | undefined;
  /** `@Type`'s class, called now (the classes exist once the schema is prepared). */
  readonly type?: Function;
  /** True when `@Type` has a discriminator (several sub-types). */
  readonly discriminated: boolean;
  /** True when a plain-to-class `@Transform` rewrites the value. */
  readonly transformed: boolean;
}

/** What class-transformer does to `property` of `cls` on the way in (`plainToInstance`). */
export function transformerView(cls: Function, property: string): TransformerView {
  if (!storage) return { inputKey: property, discriminated: false, transformed: false };
  const typeMetadata = storage.findTypeMetadata(cls, property);
  const exclude = storage.findExcludeMetadata(cls, property);
  const expose = storage.findExposeMetadata(cls, property);
  const excluded =
    (exclude !== undefined && exclude.options?.toPlainOnly !== true) || (storage.getStrategy(cls) === 'excludeAll' && expose === undefined);
  const exposedName = expose?.options?.toPlainOnly !== true ? expose?.options?.name : undefined;
  const type = typeMetadata ? typeMetadata.typeFunction() : undefined;
  return {
    inputKey: excluded ? undefined : (exposedName ?? property),
    type: typeof type === 'function' ? type : undefined,
    discriminated: typeMetadata?.options?.discriminator !== undefined,
    transformed: storage.findTransformMetadatas(cls, property, TransformationType.PLAIN_TO_CLASS).length > 0,
  };
}
