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

/** Keys refused anywhere in an input whose unknown keys are forbidden: prototype-pollution vectors. */
export function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/** What `pushChildren` could not accept: a forbidden key, or a key it could not read (its path is built by the caller). */
type ChildProblem = { readonly kind: 'forbiddenKey' | 'unreadable'; readonly key: string };

/**
 * Pushes the object children of `frame.value` (array items, Map/Set values, own enumerable
 * properties). Returns the first own key that is forbidden (`forbidKeys`), or whose value throws
 * when read (a getter, a Proxy); it throws itself when the container cannot be iterated at all.
 */
function pushChildren(stack: Frame[], frame: Frame, forbidKeys: boolean): ChildProblem | undefined {
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
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (forbidKeys && isForbiddenKey(key)) return { kind: 'forbiddenKey', key };
      let child: unknown;
      try {
        child = (container as Record<string, unknown>)[key];
      } catch {
        return { kind: 'unreadable', key };
      }
      pushObject(stack, frame, key, child);
    }
  }
  return undefined;
}

/** The `FieldError` of a value the walk (or, later, the validation) could not read. */
export function unreadableError(path: string): FieldError {
  return { path, constraints: { unreadable: `${path || 'input'} could not be read (a getter, a Proxy trap or a Map key threw)` } };
}

/**
 * The first place where `input` nests objects/arrays deeper than `maxDepth` (the root object is at
 * depth 1), refers back to one of its own ancestors, has a `__proto__`, `constructor` or
 * `prototype` own key at any depth (only when `forbidKeys`: `{ forbiddenKey }`), or cannot be read
 * (a throwing getter, Proxy trap or Map key conversion: `{ unreadable }`, naming that field), as a
 * `FieldError`; `undefined` when there is none of these. Iterative (no recursion to overflow) and bounded: an object is walked again only when
 * reached at a greater depth than before, so shared sub-objects cannot make the walk exponential.
 */
export function findDepthViolation(input: unknown, maxDepth: number, forbidKeys = false): FieldError | undefined {
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
    let problem: ChildProblem | undefined;
    try {
      problem = pushChildren(stack, frame, forbidKeys);
    } catch {
      return unreadableError(pathOf(frame));
    }
    if (problem) {
      const path = joinPath(pathOf(frame), problem.key);
      if (problem.kind === 'unreadable') return unreadableError(path);
      return { path, constraints: { forbiddenKey: `property ${problem.key} is not allowed (${path})` } };
    }
  }
  return undefined;
}
