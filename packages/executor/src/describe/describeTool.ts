import {
  ConfigurationError,
  getToolMetadata,
  INVOKE_OPERATION,
  kebabToolName,
  type Constructor,
  type InputSchema,
  type SideEffects,
  type ValidateDeclaration,
} from '@aiecs/core';
import { jsonSchemaOf, type JsonSchemaResult } from '@aiecs/validation';
import { conventionalSchema } from '../planning/conventionalSchema';
import { discoverOperations } from '../tool/discoverOperations';

/** One operation as a registry, a model or an MCP client sees it; read from metadata, no instance needed. */
export interface OperationDescriptor {
  /** The tool's registry name. */
  readonly tool: string;
  /** The operation (method) name. */
  readonly name: string;
  /** `tool.operation`, the name `app.run` takes. */
  readonly qualifiedName: string;
  /** `@Operation({ description })`. */
  readonly description?: string;
  /** `@Operation`'s side-effect declarations; absent fields are undeclared. */
  readonly sideEffects: SideEffects;
  /** What validates the input (`@ValidateInput` or a conventional `<Op>Schema`): a schema class, or a Standard Schema. */
  readonly inputSchema?: InputSchema;
  /**
   * The JSON Schema (draft 2020-12) of the input and the constraints it could not express
   * (`jsonSchemaOf`); `undefined` without an input schema. Computed on first read and cached,
   * so listing tools never regenerates it; not enumerable (spreading or serialising a descriptor
   * does not build it).
   */
  readonly inputJsonSchema?: JsonSchemaResult;
  /** True when results are cached (`@CacheResult`). */
  readonly cached: boolean;
}

/** A tool class as a registry sees it. */
export interface ToolDescriptor {
  /** Registry name: `@Tool({ name })`, else a static `toolName`, else the class name in kebab-case without `Tool`. */
  readonly name: string;
  /** `@Tool({ description })`. */
  readonly description?: string;
  /** The class. */
  readonly toolClass: Constructor;
  /** Its operations, in declaration order. */
  readonly operations: readonly OperationDescriptor[];
}

const descriptors = new WeakMap<Constructor, ToolDescriptor>();

/** Where operation discovery stops: the prototype that implements the pipeline entry (BaseTool's). */
function baseOf(toolClass: Constructor): object | null {
  for (let proto: object | null = toolClass.prototype; proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (Object.prototype.hasOwnProperty.call(proto, INVOKE_OPERATION)) return proto;
  }
  return null;
}

/** A getter of the input's JSON Schema, generated on its first call (`jsonSchemaOf` caches per schema too). */
function lazyJsonSchema(validation: ValidateDeclaration | undefined): () => JsonSchemaResult | undefined {
  let result: JsonSchemaResult | undefined;
  return () => {
    if (validation !== undefined && result === undefined) {
      result = jsonSchemaOf(validation.schema, { forbidUnknown: validation.options.forbidUnknown });
    }
    return result;
  };
}

function toolNameOf(toolClass: Constructor): string {
  const declared = getToolMetadata(toolClass).tool;
  if (declared?.declaredOn === toolClass && declared.name !== undefined) return declared.name;
  // Own property only: like `@Tool({ name })`, a name belongs to the class that declares it, so a
  // subclass never collides with its parent in a registry.
  const legacy = Object.prototype.hasOwnProperty.call(toolClass, 'toolName') ? (toolClass as { toolName?: unknown }).toolName : undefined;
  return typeof legacy === 'string' ? legacy : kebabToolName(toolClass.name);
}

/**
 * Describes a tool class from what its decorators recorded, without constructing it: so a registry
 * can list tools before any executor, cache or timer exists. Computed once per class.
 * Throws `ConfigurationError` for `@CacheResult` on a `destructive` operation.
 */
export function describeTool(toolClass: Constructor): ToolDescriptor {
  if (typeof toolClass !== 'function') throw new TypeError('describeTool expects a tool class');
  const known = descriptors.get(toolClass);
  if (known) return known;
  const metadata = getToolMetadata(toolClass);
  const tool = toolNameOf(toolClass);
  const operations = [...discoverOperations(toolClass, baseOf(toolClass))].map((name): OperationDescriptor => {
    const declared = metadata.operations.get(name);
    const { description, ...sideEffects } = declared?.operation ?? {};
    if (sideEffects.destructive === true && declared?.cache !== undefined) {
      throw new ConfigurationError(`${tool}.${name}`, '@CacheResult', 'a destructive operation cannot cache its results');
    }
    const validation = declared?.validate ?? conventionalSchema(toolClass, name);
    const descriptor = {
      tool,
      name,
      qualifiedName: `${tool}.${name}`,
      description,
      sideEffects: Object.freeze(sideEffects),
      inputSchema: validation?.schema,
      cached: declared?.cache !== undefined,
    };
    Object.defineProperty(descriptor, 'inputJsonSchema', { get: lazyJsonSchema(validation), enumerable: false });
    return Object.freeze(descriptor);
  });
  const descriptor: ToolDescriptor = Object.freeze({
    name: tool,
    description: metadata.tool?.declaredOn === toolClass ? metadata.tool.description : undefined,
    toolClass,
    operations: Object.freeze(operations),
  });
  descriptors.set(toolClass, descriptor);
  return descriptor;
}
