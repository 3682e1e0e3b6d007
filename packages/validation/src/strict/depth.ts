import type { FieldError } from '@aiecs/core';
import { joinPath } from './path';

interface Frame {
  readonly value: object;
  /** Containers from the root to `value`, both included: the root object is at depth 1. */
  readonly depth: number;
  readonly path: string;
  /** Marks the point where the walk leaves `value` (it is no longer an ancestor). */
  readonly leaving: boolean;
}

/** Pushes the object children of `container` (array items, Map/Set values, own enumerable properties). */
function pushChildren(stack: Frame[], container: object, depth: number, path: string): void {
  const push = (key: string | number, child: unknown) => {
    if (typeof child === 'object' && child !== null) stack.push({ value: child, depth, path: joinPath(path, key), leaving: false });
  };
  if (Array.isArray(container)) {
    for (let i = container.length - 1; i >= 0; i--) push(i, container[i]);
  } else if (container instanceof Map) {
    for (const [key, child] of container) push(String(key), child);
  } else if (container instanceof Set) {
    let i = 0;
    for (const child of container) push(i++, child);
  } else if (!ArrayBuffer.isView(container)) {
    const keys = Object.keys(container);
    for (let i = keys.length - 1; i >= 0; i--) push(keys[i]!, (container as Record<string, unknown>)[keys[i]!]);
  }
}

/**
 * The first place where `input` nests objects/arrays deeper than `maxDepth` (the root object is at
 * depth 1) or refers back to one of its own ancestors, as a `FieldError`; `undefined` when it does
 * neither. Iterative (no recursion to overflow) and bounded: an object is walked again only when
 * reached at a greater depth than before, so shared sub-objects cannot make the walk exponential.
 */
export function findDepthViolation(input: unknown, maxDepth: number): FieldError | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const stack: Frame[] = [{ value: input, depth: 1, path: '', leaving: false }];
  const ancestors = new Set<object>();
  const deepestPassed = new Map<object, number>();
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, depth, path } = frame;
    if (frame.leaving) {
      ancestors.delete(value);
      deepestPassed.set(value, Math.max(depth, deepestPassed.get(value) ?? 0));
      continue;
    }
    if (ancestors.has(value)) {
      return { path, constraints: { circular: `${path || 'input'} refers back to one of its own parents (circular input)` } };
    }
    if (depth > maxDepth) {
      return { path, constraints: { maxDepth: `${path || 'input'} is nested deeper than the maximum depth of ${maxDepth}` } };
    }
    if ((deepestPassed.get(value) ?? 0) >= depth) continue; // already passed at this depth or deeper
    ancestors.add(value);
    stack.push({ value, depth, path, leaving: true });
    pushChildren(stack, value, depth + 1, path);
  }
  return undefined;
}
