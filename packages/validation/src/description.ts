import '@aiecs/core'; // installs the Symbol.metadata polyfill before any schema class is defined
import { lineage } from './bridge/schemaRegistry';

const DESCRIPTIONS = Symbol('aiecs.validation.descriptions');
const CLASS_DESCRIPTION = Symbol('aiecs.validation.classDescription');

type DescriptionMetadata = DecoratorMetadataObject & { [DESCRIPTIONS]?: Record<string, string>; [CLASS_DESCRIPTION]?: string };

/** A TC39 decorator for a schema class or one of its fields. */
export type DescriptionDecorator = (value: unknown, context: ClassFieldDecoratorContext | ClassDecoratorContext) => void;

/**
 * Describes a schema field (or the whole schema class) for the models and clients that read its
 * JSON Schema: `jsonSchemaOf` puts `text` in the field's `description`. It is documentation, not a
 * rule: a field needs a validation decorator as well (`@Allow()` when it has no rule).
 *
 * @example
 * ```ts
 * @Description('Reads one file')
 * class ReadInput {
 *   @Description('Path relative to the sandbox root') @IsString() path!: string;
 * }
 * ```
 */
export function Description(text: string): DescriptionDecorator {
  if (typeof text !== 'string' || text.trim() === '') throw new TypeError('@Description(text): text must be a non-empty string');
  return (_value, context) => {
    const metadata = context.metadata as DescriptionMetadata | undefined;
    if (metadata == null)
      throw new TypeError('@Description: context.metadata is missing (compile with TC39 decorators, experimentalDecorators off)');
    if (context.kind === 'class') {
      Object.defineProperty(metadata, CLASS_DESCRIPTION, { value: text, enumerable: false, configurable: true });
      return;
    }
    if (context.kind !== 'field' || context.static || context.private || typeof context.name !== 'string') {
      throw new TypeError(
        `@Description applies to schema classes and their public, non-static, string-named fields; '${String(context.name)}' is not one`,
      );
    }
    // Own record per class: a subclass's metadata inherits its parent's, which must not change.
    if (!Object.prototype.hasOwnProperty.call(metadata, DESCRIPTIONS))
      Object.defineProperty(metadata, DESCRIPTIONS, { value: Object.create(null), enumerable: false });
    metadata[DESCRIPTIONS]![context.name] = text;
  };
}

/** The own `Symbol.metadata` of `cls` (not inherited through static inheritance). */
function ownMetadata(cls: Function): DescriptionMetadata | undefined {
  if (!Object.prototype.hasOwnProperty.call(cls, Symbol.metadata)) return undefined;
  return ((cls as { [Symbol.metadata]?: DescriptionMetadata | null })[Symbol.metadata] ?? undefined) as DescriptionMetadata | undefined;
}

/** The `@Description` of `property` on `schemaClass` or its nearest ancestor that describes it. */
export function fieldDescription(schemaClass: Function, property: string): string | undefined {
  let found: string | undefined;
  for (const cls of lineage(schemaClass)) {
    const own = ownMetadata(cls);
    const text = own && Object.prototype.hasOwnProperty.call(own, DESCRIPTIONS) ? own[DESCRIPTIONS]![property] : undefined;
    if (text !== undefined) found = text;
  }
  return found;
}

/** The class-level `@Description` of `schemaClass` itself (a subclass does not inherit it). */
export function classDescription(schemaClass: Function): string | undefined {
  const own = ownMetadata(schemaClass);
  return own && Object.prototype.hasOwnProperty.call(own, CLASS_DESCRIPTION) ? own[CLASS_DESCRIPTION] : undefined;
}
