import type { AdaptedFactory } from './fieldDecorator';

/**
 * The exclusion rule, in one place. An export of class-validator / class-transformer is adapted when
 * its name starts with an upper-case letter, it is a function, it is not a class, and it is not
 * listed here. The listed ones are PascalCase functions that decorate classes or methods.
 * `decorators.ts` checks at compile time that this runtime rule selects exactly the exports whose
 * type is `(...args) => PropertyDecorator`, so an upstream addition cannot slip through unnoticed.
 */
const NON_FIELD_DECORATOR_NAMES = [
  'ValidatorConstraint', // class decorator
  'TransformInstanceToInstance', // method decorators
  'TransformInstanceToPlain',
  'TransformPlainToInstance',
] as const;

/** Names of the PascalCase function exports that are not property decorators (see above). */
export const NON_FIELD_DECORATOR_EXPORTS: ReadonlySet<string> = new Set(NON_FIELD_DECORATOR_NAMES);

/** Type-level mirror of `NON_FIELD_DECORATOR_EXPORTS`. */
export type NonFieldDecoratorExport = (typeof NON_FIELD_DECORATOR_NAMES)[number];

/** True when the module export `name` → `value` is a legacy property-decorator factory to adapt. */
export function isFieldDecoratorFactory(name: string, value: unknown): value is (...args: unknown[]) => PropertyDecorator {
  const first = name.charAt(0);
  return (
    typeof value === 'function' &&
    first !== first.toLowerCase() &&
    first === first.toUpperCase() &&
    !Function.prototype.toString.call(value).startsWith('class') &&
    !NON_FIELD_DECORATOR_EXPORTS.has(name)
  );
}

type StartsUpperCase<K> = K extends `${infer C}${string}`
  ? C extends Uppercase<C>
    ? C extends Lowercase<C>
      ? false
      : true
    : false
  : false;

/** Keys of `M` the runtime rule (`isFieldDecoratorFactory`) selects, computed from types. */
export type RuntimeSelectedKeys<M> = {
  [K in keyof M]: K extends NonFieldDecoratorExport
    ? never
    : StartsUpperCase<K> extends true
      ? M[K] extends (...args: any[]) => unknown
        ? K
        : never
      : never;
}[keyof M];

/** Keys of `M` whose type is a legacy property-decorator factory. */
export type PropertyDecoratorFactoryKeys<M> = {
  // `infer R` erases type parameters to their constraints, so `<T>() => T` does not pass for one.
  [K in keyof M]: M[K] extends (...args: any[]) => infer R ? ([R] extends [PropertyDecorator] ? K : never) : never;
}[keyof M];

/** `true` when the runtime rule and the types agree on `M`; otherwise the keys they disagree on. */
export type SelectionAgrees<M> = [RuntimeSelectedKeys<M>] extends [PropertyDecoratorFactoryKeys<M>]
  ? [PropertyDecoratorFactoryKeys<M>] extends [RuntimeSelectedKeys<M>]
    ? true
    : Exclude<PropertyDecoratorFactoryKeys<M>, RuntimeSelectedKeys<M>>
  : Exclude<RuntimeSelectedKeys<M>, PropertyDecoratorFactoryKeys<M>>;

/**
 * The TC39 versions of every property-decorator factory of module `M`, under their original names
 * (a homomorphic mapped type: each keeps its upstream documentation).
 */
export type AdaptedModule<M> = {
  readonly [K in keyof M as K extends PropertyDecoratorFactoryKeys<M> ? K : never]: AdaptedFactory<M[K]>;
};
