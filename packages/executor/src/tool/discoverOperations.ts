import { getToolMetadata, type Constructor } from '@aiecs/core';

const cache = new WeakMap<object, ReadonlySet<string>>();

/**
 * The operations of a tool class: public methods (not `_`-prefixed, not the constructor) defined
 * between the class and `stopAt` (BaseTool's prototype), plus every decorated operation. Computed once per class.
 */
export function discoverOperations(toolClass: Constructor, stopAt: object | null): ReadonlySet<string> {
  let operations = cache.get(toolClass);
  if (operations) return operations;
  const found = new Set<string>(getToolMetadata(toolClass).operations.keys());
  for (let proto = toolClass.prototype; proto && proto !== stopAt && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && !name.startsWith('_') && typeof descriptor?.value === 'function') found.add(name);
    }
  }
  operations = found;
  cache.set(toolClass, operations);
  return operations;
}
