import { TransformationType } from 'class-transformer';
import { transformerStorage, typeTargetOf } from '../strict/transformerMetadata';

/** A `@Type` discriminator as class-transformer applies it on the way in. */
export interface Discriminator {
  readonly property: string;
  readonly subTypes: readonly { readonly name: string; readonly value: Function }[];
  /** `keepDiscriminatorProperty`: the property stays on the instance (so the sub-type must declare it). */
  readonly keep: boolean;
}

/** How class-transformer treats one property of a plain input before validation. */
export interface TransformerView {
  /** The input key the property is read from (its `@Expose({ name })`, else its name); `undefined` when `@Exclude`d. */
  readonly inputKey: string | undefined;
  /** `@Type`'s class, called now (the classes exist once the schema is prepared). */
  readonly type?: Function;
  /** `@Type`'s discriminator: the input property naming the sub-type, and the sub-types by name. */
  readonly discriminator?: Discriminator;
  /** True when a plain-to-class `@Transform` rewrites the value. */
  readonly transformed: boolean;
}

/** What class-transformer does to `property` of `cls` on the way in (`plainToInstance`). */
export function transformerView(cls: Function, property: string): TransformerView {
  // The metadata the validator reads too: `undefined` when it cannot be read, and the generator then reports nested fields.
  const storage = transformerStorage();
  if (!storage) return { inputKey: property, transformed: false };
  const typeMetadata = storage.findTypeMetadata(cls, property);
  const exclude = storage.findExcludeMetadata(cls, property);
  const expose = storage.findExposeMetadata(cls, property);
  const excluded =
    (exclude !== undefined && exclude.options?.toPlainOnly !== true) || (storage.getStrategy(cls) === 'excludeAll' && expose === undefined);
  const exposedName = expose?.options?.toPlainOnly !== true ? expose?.options?.name : undefined;
  const discriminator = typeMetadata?.options?.discriminator;
  return {
    inputKey: excluded ? undefined : (exposedName ?? property),
    type: typeTargetOf(cls, property),
    discriminator: discriminator && {
      property: discriminator.property,
      subTypes: discriminator.subTypes.map((subType) => ({ name: subType.name, value: subType.value })),
      keep: typeMetadata!.options.keepDiscriminatorProperty === true,
    },
    transformed: storage.findTransformMetadatas(cls, property, TransformationType.PLAIN_TO_CLASS).length > 0,
  };
}
