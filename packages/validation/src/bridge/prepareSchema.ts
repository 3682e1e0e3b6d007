import 'reflect-metadata'; // class-transformer's @Type reads Reflect.getMetadata when it is replayed
import { lineage, ownLegacyFields } from './schemaRegistry';

/** Classes whose own recorded decorators were replayed (each class exactly once). */
const replayed = new WeakSet<Function>();
/** Classes fully prepared: their ancestors and every class reachable through `@Type` too. */
const complete = new WeakSet<Function>();

/** Replays the recorded legacy decorators of `cls` itself on `cls.prototype`, once. */
function replay(cls: Function): void {
  if (replayed.has(cls)) return;
  replayed.add(cls); // before applying: a failure must not lead to a second, duplicated replay
  for (const field of ownLegacyFields(cls)) field.apply(cls.prototype, field.property);
}

/** Calls the lazy references (`@Type` thunks) of the fields of `cls` itself. */
function referencedClasses(cls: Function): Function[] {
  const found: Function[] = [];
  for (const field of ownLegacyFields(cls)) {
    if (!field.references) continue;
    let targets: readonly unknown[];
    try {
      targets = field.references();
    } catch (error) {
      throw new TypeError(
        `prepareSchema: the @Type thunk of ${cls.name}.${field.property} threw when called without arguments ` +
          `(is the class it returns defined yet?): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    for (const target of targets) if (typeof target === 'function') found.push(target);
  }
  return found;
}

/**
 * Replays the adapted decorators of `schemaClass` onto its prototype so class-validator and
 * class-transformer see them: its ancestors first, then every class reachable through `@Type`
 * thunks (called now, so they may name classes defined after the schema). Each class is replayed
 * once; later calls are a set lookup. Call it before `plainToInstance`/`validate` on the class.
 */
export function prepareSchema(schemaClass: abstract new (...args: any[]) => unknown): void {
  if (complete.has(schemaClass)) return;
  if (typeof schemaClass !== 'function') throw new TypeError('prepareSchema(schemaClass): schemaClass must be a class');
  const visited = new Set<Function>([schemaClass]);
  const pending: Function[] = [schemaClass];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (complete.has(current)) continue;
    for (const cls of lineage(current)) {
      replay(cls);
      for (const target of referencedClasses(cls)) {
        if (!visited.has(target)) {
          visited.add(target);
          pending.push(target);
        }
      }
    }
  }
  // Only now: a thunk that threw leaves the graph incomplete, and the next call retries the thunks.
  for (const cls of visited) complete.add(cls);
}

/**
 * `schemaClass`, its ancestors and every class reachable from them through `@Type` thunks, as
 * `prepareSchema` walks them. Call it after `prepareSchema(schemaClass)` succeeded (the thunks are called).
 */
export function schemaClasses(schemaClass: Function): Function[] {
  const visited = new Set<Function>([schemaClass]);
  const pending: Function[] = [schemaClass];
  while (pending.length > 0) {
    for (const cls of lineage(pending.pop()!)) {
      visited.add(cls);
      for (const target of referencedClasses(cls)) {
        if (!visited.has(target)) {
          visited.add(target);
          pending.push(target);
        }
      }
    }
  }
  return [...visited];
}
