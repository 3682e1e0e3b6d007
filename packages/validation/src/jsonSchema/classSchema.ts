import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { recordedProperties } from '../bridge/schemaRegistry';
import { classDescription } from '../description';
import { propertySchema, type SchemaContext } from './propertySchema';
import { transformerView } from './transformerView';
import { JSON_SCHEMA_DIALECT, type JsonSchemaObject, type SchemaWarning } from './types';

/** The metadata of `cls` (its own and its ancestors', as class-validator validates them), by property, in declaration order. */
function metadataByProperty(cls: Function, metadatas: readonly ValidationMetadata[]): Map<string, ValidationMetadata[]> {
  const byProperty = new Map<string, ValidationMetadata[]>();
  // Fields with only class-transformer decorators are declared too (the validator accepts them, unchecked).
  for (const property of recordedProperties(cls)) byProperty.set(property, []);
  for (const meta of metadatas) {
    let list = byProperty.get(meta.propertyName);
    if (!list) byProperty.set(meta.propertyName, (list = []));
    list.push(meta);
  }
  return byProperty;
}

/** `path.property`, or `property` at the root. */
function joinField(path: string, property: string): string {
  return path === '' ? property : `${path}.${property}`;
}

/** Builds the schemas of a root class and every class it reaches, sharing one `$defs`. */
class SchemaBuild implements SchemaContext {
  private readonly names = new Map<Function, string>();
  /** `$defs` names of discriminated variants, per class and `property/name/keep`. */
  private readonly variantNames = new Map<Function, Map<string, string>>();
  private readonly defs: Record<string, JsonSchemaObject> = {};
  readonly warnings: SchemaWarning[] = [];

  constructor(
    private readonly root: Function,
    private readonly forbidUnknown: boolean,
  ) {}

  warn(warning: SchemaWarning): void {
    this.warnings.push(warning);
  }

  refOf(cls: Function, path: string): string {
    if (cls === this.root) return '#';
    let name = this.names.get(cls);
    if (name === undefined) {
      name = this.uniqueName(cls.name || 'Anonymous');
      this.names.set(cls, name); // before building: a class that refers to itself gets the same name
      this.defs[name] = {};
      this.defs[name] = this.objectSchema(cls, path);
    }
    return `#/$defs/${name}`;
  }

  variantOf(cls: Function, property: string, name: string, keep: boolean, path: string): JsonSchemaObject {
    let byKey = this.variantNames.get(cls);
    if (!byKey) this.variantNames.set(cls, (byKey = new Map()));
    const key = `${property}\u0000${name}\u0000${keep}`;
    let defName = byKey.get(key);
    if (defName === undefined) {
      defName = this.uniqueName(`${cls.name || 'Anonymous'}_${name}`);
      byKey.set(key, defName); // before building: a variant that contains itself refers to the same entry
      this.defs[defName] = {};
      this.defs[defName] = this.variantSchema(cls, property, name, keep, path);
    }
    return { $ref: `#/$defs/${defName}` };
  }

  /**
   * `cls`'s object schema with the discriminator `property` required and fixed to `name`. Without
   * `keep`, class-transformer deletes the property before validation, so only its value matters;
   * with it, the sub-type's own rules for the property apply too (and it must declare it).
   */
  private variantSchema(cls: Function, property: string, name: string, keep: boolean, path: string): JsonSchemaObject {
    const base = this.objectSchema(cls, path);
    const declared = base.properties?.[property];
    if (keep && declared === undefined && this.forbidUnknown) {
      this.warn({
        field: joinField(path, property),
        constraint: '@Type({ discriminator })',
        reason: `keepDiscriminatorProperty is set but ${cls.name} does not declare '${property}': the validator refuses it as an unknown property`,
      });
    }
    const fixed: JsonSchemaObject = keep && declared !== undefined ? { allOf: [declared, { const: name }] } : { const: name };
    return {
      ...base,
      properties: { ...base.properties, [property]: fixed },
      required: [...new Set([...(base.required ?? []), property])],
    };
  }

  /** The object schema of `cls`; `path` is where it was first reached (for warnings). */
  objectSchema(cls: Function, path: string): JsonSchemaObject {
    const properties: Record<string, JsonSchemaObject> = {};
    const required: string[] = [];
    const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false, undefined);
    if (metadatas.length === 0) {
      this.warn({
        field: path,
        constraint: 'schema',
        reason: `${cls.name || 'the class'} has no validation rule: the validator refuses any value for it`,
      });
    }
    const byProperty = metadataByProperty(cls, metadatas);
    for (const [property, metadatas] of byProperty) {
      const view = transformerView(cls, property);
      if (view.inputKey === undefined) continue; // @Exclude()d: never read from the input
      const field = joinField(path, view.inputKey);
      const built = propertySchema(cls, property, metadatas, view, field, this);
      properties[view.inputKey] = built.schema;
      if (built.required) required.push(view.inputKey);
    }
    const description = classDescription(cls);
    return {
      type: 'object',
      ...(description !== undefined && { description }),
      properties,
      ...(required.length > 0 && { required }),
      ...(this.forbidUnknown && { additionalProperties: false }),
    };
  }

  /** The root schema, with `$schema` and the `$defs` its nested classes need. */
  rootSchema(): JsonSchemaObject {
    const schema = this.objectSchema(this.root, '');
    return { $schema: JSON_SCHEMA_DIALECT, ...schema, ...(Object.keys(this.defs).length > 0 && { $defs: this.defs }) };
  }

  private uniqueName(base: string): string {
    const taken = new Set(Object.keys(this.defs));
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    return name;
  }
}

/**
 * The JSON Schema of `schemaClass` (prepared: its decorators replayed) and the constraints it could
 * not express. Nested classes go to `$defs` (named after the class, `_2`… on a clash); a class that
 * refers back to the root uses `#`.
 */
export function buildClassSchema(schemaClass: Function, forbidUnknown: boolean): { schema: JsonSchemaObject; warnings: SchemaWarning[] } {
  const build = new SchemaBuild(schemaClass, forbidUnknown);
  const schema = build.rootSchema();
  return { schema, warnings: build.warnings };
}
