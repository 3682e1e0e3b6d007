import type { FieldError } from '@aiecs/core';
import { joinPath } from './path';

interface Frame {
  readonly value: object;
  /** Containers from the root to `value`, both included: the root object is at depth 1. */
  readonly depth: number;
  /** The frame `value` was reached from and its key there: the path is only built for an error. */
  readonly parent: Frame | undefined;
  readonly key: string | number;
  /** Set when the walk enters `value`; the frame is pushed again, and popping it then means leaving. */
  entered: boolean;
}

/** `findDepthViolation`'s state of an object that is an ancestor of the frame being walked. */
const ON_PATH = -1;

/** Dotted path of `frame` from the root (`''` for the root itself). */
function pathOf(frame: Frame): string {
  const keys: Array<string | number> = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) keys.push(f.key);
  let path = '';
  for (let i = keys.length - 1; i >= 0; i--) path = joinPath(path, keys[i]!);
  return path;
}

/** Pushes `child` when it is an object (primitives cannot nest). */
function pushObject(stack: Frame[], parent: Frame, key: string | number, child: unknown): void {
  if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: parent.depth + 1, parent, key, entered: false });
}

/** Pushes the object children of `frame.value` (array items, Map/Set values, own enumerable properties). */
function pushChildren(stack: Frame[], frame: Frame): void {
  const container = frame.value;
  if (Array.isArray(container)) {
    for (let i = container.length - 1; i >= 0; i--) pushObject(stack, frame, i, container[i]);
  } else if (container instanceof Map) {
    for (const [key, child] of container) pushObject(stack, frame, String(key), child);
  } else if (container instanceof Set) {
    let i = 0;
    for (const child of container) pushObject(stack, frame, i++, child);
  } else if (!ArrayBuffer.isView(container)) {
    const keys = Object.keys(container);
    for (let i = keys.length - 1; i >= 0; i--) pushObject(stack, frame, keys[i]!, (container as Record<string, unknown>)[keys[i]!]);
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
  const stack: Frame[] = [{ value: input, depth: 1, parent: undefined, key: '', entered: false }];
  // Per object: ON_PATH while it is an ancestor of the frame being walked, then the depth it was
  // passed at. It is entered again only from deeper, so on leaving that depth is the deepest.
  const state = new Map<object, number>();
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, depth } = frame;
    if (frame.entered) {
      state.set(value, depth);
      continue;
    }
    const passed = state.get(value);
    if (passed === ON_PATH) {
      const path = pathOf(frame);
      return { path, constraints: { circular: `${path || 'input'} refers back to one of its own parents (circular input)` } };
    }
    if (depth > maxDepth) {
      const path = pathOf(frame);
      return { path, constraints: { maxDepth: `${path || 'input'} is nested deeper than the maximum depth of ${maxDepth}` } };
    }
    if (passed !== undefined && passed >= depth) continue; // already passed at this depth or deeper
    state.set(value, ON_PATH);
    frame.entered = true;
    stack.push(frame); // popped again once its children are done: leaving
    pushChildren(stack, frame);
  }
  return undefined;
}
