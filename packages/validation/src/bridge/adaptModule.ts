import { adaptLegacyDecorator, type ReferenceResolver } from './adaptLegacyDecorator';
import type { LegacyPropertyDecorator } from './fieldDecorator';
import { isFieldDecoratorFactory, type AdaptedModule, type PropertyDecoratorFactoryKeys } from './selection';

/** Per-export reference resolvers (which classes a decorated field refers to, e.g. `Type`'s thunk). */
export type ReferenceResolvers<M> = { readonly [K in PropertyDecoratorFactoryKeys<M>]?: ReferenceResolver<any[]> };

/** Adapts every property-decorator factory exported by `module` (see `isFieldDecoratorFactory`). */
export function adaptModule<M extends object>(module: M, resolvers: ReferenceResolvers<M> = {}): AdaptedModule<M> {
  const adapted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(module)) {
    if (!isFieldDecoratorFactory(name, value)) continue;
    const resolver = (resolvers as Record<string, ReferenceResolver<unknown[]> | undefined>)[name];
    adapted[name] = adaptLegacyDecorator(name, value as (...args: unknown[]) => LegacyPropertyDecorator, resolver);
  }
  return Object.freeze(adapted) as AdaptedModule<M>;
}
