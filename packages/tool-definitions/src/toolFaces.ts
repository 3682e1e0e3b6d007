import type { OperationDescriptor } from '@aiecs/executor';
import { inputSchemaOf, type JsonObjectSchema } from './inputSchema';
import { toolNames, type NamingTarget } from './toolNames';
import { toolSource, type ToolOrigin, type ToolSource } from './toolSource';

/** One operation as a model sees it: a name valid for the target, a description and the JSON Schema of its input. */
export interface ToolFace {
  /** `tool<separator>operation`, valid under the target's naming rule. */
  readonly name: string;
  /** What the model reads: the operation's description, else the tool's, else the qualified name. */
  readonly description: string;
  /** JSON Schema of the input (from the operation's schema class). */
  readonly inputSchema: JsonObjectSchema;
  /** The operation behind it (`qualifiedName`, side effects, …). */
  readonly operation: OperationDescriptor;
}

/** Options shared by every adapter. */
export interface ToolFaceOptions {
  /** Between tool and operation; default `_` (`.` for MCP). Must be valid in the target's tool names. */
  readonly separator?: string;
  /** Keep only the operations this returns true for (default: all). */
  readonly include?: (operation: OperationDescriptor) => boolean;
}

/** The operations of an app (or one tool) as model-facing tools, with the source that runs them. */
export interface ToolFaces {
  readonly source: ToolSource;
  readonly tools: readonly ToolFace[];
  /** The face of a model-facing name, if any. */
  byName(name: string): ToolFace | undefined;
}

function descriptionOf(op: OperationDescriptor, toolDescriptions: ReadonlyMap<string, string | undefined>): string {
  const own = op.description ?? toolDescriptions.get(op.tool);
  return own === undefined || own === '' ? op.qualifiedName : own;
}

/**
 * The model-facing tools of an app (or one tool) for a naming target: names checked (a bad or
 * colliding name is a `ConfigurationError`), descriptions, JSON Schemas (generated once per schema class).
 */
export function toolFaces(origin: ToolOrigin, target: NamingTarget, options: ToolFaceOptions = {}): ToolFaces {
  const source = toolSource(origin);
  const operations = source.operations().filter((op) => options.include?.(op) ?? true);
  const names = toolNames(operations, target, options.separator);
  const toolDescriptions = new Map(operations.map((op) => [op.tool, source.toolDescription(op.tool)] as const));
  const tools = [...names].map(([name, operation]): ToolFace =>
    Object.freeze({ name, description: descriptionOf(operation, toolDescriptions), inputSchema: inputSchemaOf(operation), operation }),
  );
  const byName = new Map(tools.map((face) => [face.name, face] as const));
  return Object.freeze({ source, tools: Object.freeze(tools), byName: (name: string) => byName.get(name) });
}
