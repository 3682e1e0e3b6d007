import '@aiecs/core'; // installs the Symbol.metadata polyfill before any schema class is defined
import type { LegacyPropertyDecorator } from './fieldDecorator';

/** One legacy decorator recorded by an adapted field decorator, to be replayed on the class prototype. */
export interface LegacyFieldRecord {
  /** The decorated field. */
  readonly property: string;
  /** Name of the decorator factory, for error messages. */
  readonly decorator: string;
  /** The legacy decorator, already built by its factory. */
  readonly apply: LegacyPropertyDecorator;
  /** Classes this field refers to (a `@Type` thunk), resolved lazily by `prepareSchema`. */
  readonly references?: () => readonly unknown[];
}

const LEGACY_FIELDS = Symbol('aiecs.validation.legacyFields');

type SchemaMetadata = DecoratorMetadataObject & { [LEGACY_FIELDS]?: LegacyFieldRecord[] };

/**
 * Appends `record` to the class being decorated. The list is an own property of the class's
 * metadata object: a subclass's metadata inherits its parent's through the prototype chain, so
 * the first write on a subclass creates its own list and the parent's is never touched.
 */
export function recordLegacyField(context: ClassFieldDecoratorContext, record: LegacyFieldRecord): void {
  const metadata = context.metadata as SchemaMetadata | undefined;
  if (metadata == null) {
    throw new TypeError(
      `@${record.decorator} on '${record.property}': context.metadata is missing. ` +
        'Import @aiecs/validation before defining schema classes and compile with TC39 decorators (experimentalDecorators off).',
    );
  }
  if (!Object.prototype.hasOwnProperty.call(metadata, LEGACY_FIELDS)) {
    Object.defineProperty(metadata, LEGACY_FIELDS, { value: [], enumerable: false });
  }
  metadata[LEGACY_FIELDS]!.push(record);
}

/** The records the decorators of `schemaClass` itself (not its parents) made, in application order. */
export function ownLegacyFields(schemaClass: Function): readonly LegacyFieldRecord[] {
  // An undecorated subclass has no own Symbol.metadata: it would read its parent's through static inheritance.
  if (!Object.prototype.hasOwnProperty.call(schemaClass, Symbol.metadata)) return [];
  const metadata = (schemaClass as { [Symbol.metadata]?: SchemaMetadata | null })[Symbol.metadata];
  if (metadata == null || !Object.prototype.hasOwnProperty.call(metadata, LEGACY_FIELDS)) return [];
  return metadata[LEGACY_FIELDS]!;
}

/** `schemaClass` and its ancestor classes, root first. */
export function lineage(schemaClass: Function): Function[] {
  const chain: Function[] = [];
  for (let c: unknown = schemaClass; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    chain.push(c);
  }
  return chain.reverse();
}

/** Every field an adapted decorator was applied to, on `schemaClass` and its ancestors. */
export function recordedProperties(schemaClass: Function): Set<string> {
  const properties = new Set<string>();
  for (const cls of lineage(schemaClass)) for (const field of ownLegacyFields(cls)) properties.add(field.property);
  return properties;
}
