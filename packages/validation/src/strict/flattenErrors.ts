import type { FieldError } from '@aiecs/core';
import type { ValidationError } from 'class-validator';
import { joinPath } from './path';

/**
 * Flattens class-validator's error tree into one `FieldError` per failing field, with the dotted
 * path from the root (`items.1.name`), in the order class-validator reported them. Iterative.
 */
export function flattenValidationErrors(errors: readonly ValidationError[], into: FieldError[] = []): FieldError[] {
  const stack: Array<{ error: ValidationError; parent: string }> = [];
  for (let i = errors.length - 1; i >= 0; i--) stack.push({ error: errors[i]!, parent: '' });
  while (stack.length > 0) {
    const { error, parent } = stack.pop()!;
    const path = error.property === undefined || error.property === '' ? parent : joinPath(parent, error.property);
    if (error.constraints && Object.keys(error.constraints).length > 0) into.push({ path, constraints: { ...error.constraints } });
    const children = error.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ error: children[i]!, parent: path });
  }
  return into;
}
