import type { CallOptions } from '@aiecs/core';
import { App, BaseTool, describeTool, type OperationDescriptor, type OperationPlan, type PreparedCall } from '@aiecs/executor';

/** What the adapters read from an app (or one tool): its operations, a way to run one, and its resolved plans. */
export interface ToolSource {
  /** Every operation, as plain descriptors. */
  operations(): readonly OperationDescriptor[];
  /** Runs `tool.operation` through the full pipeline (cache, validation, policies, metrics). */
  run(qualifiedName: string, input: unknown, options?: CallOptions): Promise<unknown>;
  /**
   * The call `run` would make, not made yet (answered from the cache at once, or run later); optional:
   * a source without it is never answered from the cache before its call is made (see `prepareToolCall`).
   */
  prepare?(qualifiedName: string, input: unknown, options?: CallOptions): PreparedCall;
  /** The resolved plan of an operation (its timeout, breaker, bulkhead): what failure advice reads. */
  plan(descriptor: OperationDescriptor): OperationPlan;
  /** `@Tool({ description })` of a tool, by name. */
  toolDescription(tool: string): string | undefined;
}

/** An `App`, a single registered tool instance, or a ready `ToolSource`. */
export type ToolOrigin = App | BaseTool | ToolSource;

const sources = new WeakMap<object, ToolSource>();

function appSource(app: App): ToolSource {
  return {
    operations: () => app.operations(),
    run: (qualifiedName, input, options) => app.run(qualifiedName, input, options),
    prepare: (qualifiedName, input, options) => app.prepare(qualifiedName, input, options),
    plan: (descriptor) => app.tool(descriptor.tool).executor.describe(descriptor.name).plan,
    toolDescription: (tool) => app.tools().find((t) => t.name === tool)?.description,
  };
}

function toolInstanceSource(tool: BaseTool): ToolSource {
  const descriptor = describeTool(tool.constructor as new () => BaseTool);
  const byQualifiedName = new Map(descriptor.operations.map((op) => [op.qualifiedName, op] as const));
  return {
    operations: () => descriptor.operations,
    run: (qualifiedName, input, options) => {
      const op = byQualifiedName.get(qualifiedName);
      // An unknown name goes to the executor with the name as given, which rejects it with UnknownOperationError.
      return tool.executor.run(op?.name ?? qualifiedName, input, options);
    },
    prepare: (qualifiedName, input, options) =>
      tool.executor.prepare(byQualifiedName.get(qualifiedName)?.name ?? qualifiedName, input, options),
    plan: (op) => tool.executor.describe(op.name).plan,
    toolDescription: (name) => (name === descriptor.name ? descriptor.description : undefined),
  };
}

/** The `ToolSource` of an app or a tool instance (computed once per object). */
export function toolSource(origin: ToolOrigin): ToolSource {
  if (origin instanceof App) return sources.get(origin) ?? remember(origin, appSource(origin));
  if (origin instanceof BaseTool) return sources.get(origin) ?? remember(origin, toolInstanceSource(origin));
  return origin;
}

function remember(key: object, source: ToolSource): ToolSource {
  sources.set(key, source);
  return source;
}
