import type { JsonSchemaResult, SchemaWarning } from './types';

/** Freezes `value` and everything it holds (schemas are plain JSON trees). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Schemas whose warnings were logged: once per schema (class or Standard Schema), whichever variant came first. */
const logged = new WeakSet<object>();

/** Reports unexpressed constraints once per schema, on Node's warning channel (`process.on('warning')`, type `AiecsSchemaWarning`). */
function logOnce(schema: object, name: string, warnings: readonly SchemaWarning[]): void {
  if (warnings.length === 0 || logged.has(schema)) return;
  logged.add(schema);
  const list = warnings.map((w) => `${w.field || '(input)'} ${w.constraint}: ${w.reason}`).join('; ');
  process.emitWarning(`JSON Schema of ${name} does not express ${warnings.length} constraint(s): ${list}`, {
    type: 'AiecsSchemaWarning',
    code: 'AIECS_JSON_SCHEMA',
  });
}

/** A generated result as it is cached and handed out: frozen, its warnings logged once for `source`. */
export function finishResult(source: object, name: string, result: JsonSchemaResult): JsonSchemaResult {
  deepFreeze(result);
  logOnce(source, name, result.warnings);
  return result;
}
