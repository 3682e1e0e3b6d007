import type { AiecsError } from './AiecsError';
import type { ErrorKind } from './errorKind';
import { AIECS_ERROR_BRAND } from './isAiecsError';

/** An `AiecsError` class (or subclass), whatever its constructor's parameters. */
export type AiecsErrorClass = (abstract new (...args: never[]) => AiecsError) & { readonly defaultKind: ErrorKind };

const registry = new Map<string, AiecsErrorClass>();

/**
 * Makes `AiecsError.fromJSON` rebuild errors named `cls.name` as instances of `cls`, so an error
 * that crossed a boundary (worker thread, process, HTTP) comes back as the same class with its
 * own fields. Every built-in error class is registered already; register your own subclasses
 * once, at module load (works as a class decorator too: `@registerErrorClass`).
 *
 * `fromJSON` never calls the constructor: it creates the instance with the class's prototype and
 * assigns the serialised fields, so the constructor's parameters do not matter — but state the
 * constructor computes without storing it in an own enumerable property (`#private` fields
 * included) is not restored.
 *
 * Registering the same class again is a no-op.
 * @throws TypeError if `cls` does not extend `AiecsError`, has no name, or another class
 *   is already registered under its name.
 * @returns `cls`, unchanged.
 */
export function registerErrorClass<C extends AiecsErrorClass>(cls: C, _context?: ClassDecoratorContext): C {
  if (typeof cls !== 'function' || (cls.prototype as { [AIECS_ERROR_BRAND]?: unknown } | undefined)?.[AIECS_ERROR_BRAND] !== true) {
    throw new TypeError('registerErrorClass: expected a class that extends AiecsError');
  }
  const name = cls.name;
  if (!name) throw new TypeError('registerErrorClass: the error class needs a name (instances are looked up by `name`)');
  const known = registry.get(name);
  if (known !== undefined && known !== cls) {
    throw new TypeError(`registerErrorClass: another error class named '${name}' is already registered`);
  }
  registry.set(name, cls);
  return cls;
}

/** The class registered under `name`, if any. @internal */
export function registeredErrorClass(name: string): AiecsErrorClass | undefined {
  return registry.get(name);
}
