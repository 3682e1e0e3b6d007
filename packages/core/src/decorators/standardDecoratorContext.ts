import { ConfigurationError } from '../errors/ConfigurationError';

/**
 * Throws, at the first decorator that runs, when the code was compiled for legacy decorators
 * (`experimentalDecorators: true`, the NestJS default): those call a decorator with
 * `(target, propertyKey, descriptor)` or `(constructor)` instead of `(value, context)`, and without
 * this check the user would see an unrelated error much later. The message says what to change.
 */
export function assertStandardDecoratorContext(decorator: string, context: unknown): void {
  if (typeof context === 'object' && context !== null && typeof (context as { kind?: unknown }).kind === 'string') return;
  throw new ConfigurationError(
    'experimentalDecorators',
    true,
    `@${decorator} was called as a legacy decorator. aiecs-ts uses TC39 standard decorators: remove ` +
      '"experimentalDecorators" from tsconfig.json (or set it to false) and keep "target" at ES2022 or lower on Node 20; ' +
      'for swc set decoratorVersion "2022-03", for Babel use @babel/plugin-proposal-decorators with version "2023-11"',
  );
}
