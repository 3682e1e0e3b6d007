import { assertStandardDecoratorContext } from '@aiecs/core';
import type { FieldDecorator, LegacyPropertyDecorator } from './fieldDecorator';
import { recordLegacyField } from './schemaRegistry';

/** Given a factory's arguments, the classes the decorated field refers to (called lazily by `prepareSchema`). */
export type ReferenceResolver<A extends unknown[]> = (...args: A) => (() => readonly unknown[]) | undefined;

/**
 * Turns a legacy property-decorator factory into a TC39 field-decorator factory with the same
 * arguments. The legacy decorator is built at once (argument errors surface where the decorator is
 * written) and recorded in `context.metadata`; `prepareSchema` replays it on the class prototype.
 */
export function adaptLegacyDecorator<A extends unknown[]>(
  name: string,
  factory: (...args: A) => LegacyPropertyDecorator,
  references?: ReferenceResolver<A>,
): (...args: A) => FieldDecorator {
  const adapted = (...args: A): FieldDecorator => {
    const apply = factory(...args);
    const resolve = references?.(...args);
    return (_value, context) => {
      assertStandardDecoratorContext(name, context);
      if (context.kind !== 'field' || context.static || context.private || typeof context.name !== 'string') {
        throw new TypeError(`@${name} applies to public, non-static, string-named class fields; '${String(context.name)}' is not one`);
      }
      recordLegacyField(context, { property: context.name, decorator: name, apply, references: resolve });
    };
  };
  Object.defineProperty(adapted, 'name', { value: name });
  return adapted;
}
