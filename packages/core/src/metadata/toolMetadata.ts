import './symbolMetadataPolyfill';
import type { Constructor, OperationDeclaration, PolicyDeclarations, ToolDeclaration, ToolMetadata } from './declarations';

const TOOL_METADATA = Symbol('aiecs.toolMetadata');

type MetadataObject = DecoratorMetadataObject & { [TOOL_METADATA]?: MutableToolMetadata };
interface MutableToolMetadata {
  operations: Map<string, OperationDeclaration>;
  toolPolicies: PolicyDeclarations;
  tool?: ToolDeclaration;
}

const EMPTY: ToolMetadata = Object.freeze({ operations: new Map(), toolPolicies: Object.freeze({}) });

function metadataOf(context: { metadata: DecoratorMetadataObject; name: unknown }, decorator: string): MetadataObject {
  if (context.metadata == null) {
    throw new TypeError(
      `@${decorator} on '${String(context.name)}': context.metadata is missing. ` +
        'Import @aiecs/core before defining decorated classes and compile with TC39 decorators (experimentalDecorators off).',
    );
  }
  return context.metadata as MetadataObject;
}

/** A subclass's metadata object inherits its parent's: copy on first write so the parent never changes. */
function ownRecord(metadata: MetadataObject): MutableToolMetadata {
  if (Object.prototype.hasOwnProperty.call(metadata, TOOL_METADATA)) return metadata[TOOL_METADATA]!;
  const inherited = metadata[TOOL_METADATA];
  const own: MutableToolMetadata = {
    operations: new Map(inherited?.operations),
    toolPolicies: { ...inherited?.toolPolicies },
    tool: inherited?.tool,
  };
  Object.defineProperty(metadata, TOOL_METADATA, { value: own, enumerable: false });
  return own;
}

/** Merges `patch` into the declaration of the decorated method (replacing, never mutating, the old one). */
export function declareOperation(
  context: ClassMethodDecoratorContext<any, any>,
  decorator: string,
  patch: Partial<Omit<OperationDeclaration, 'name'>>,
): void {
  if (context.static || context.private || typeof context.name !== 'string') {
    throw new TypeError(`@${decorator} applies to public instance methods; '${String(context.name)}' is not one`);
  }
  const record = ownRecord(metadataOf(context, decorator));
  const previous = record.operations.get(context.name);
  record.operations.set(context.name, { ...previous, ...patch, name: context.name });
}

/** Merges `patch` into the class-wide policies of the decorated tool class. */
export function declareToolPolicies(context: ClassDecoratorContext, decorator: string, patch: Partial<PolicyDeclarations>): void {
  const record = ownRecord(metadataOf(context, decorator));
  record.toolPolicies = { ...record.toolPolicies, ...patch };
}

/** Records `@Tool`'s options for the decorated class. */
export function declareTool(context: ClassDecoratorContext, target: Constructor, declaration: Omit<ToolDeclaration, 'declaredOn'>): void {
  const record = ownRecord(metadataOf(context, 'Tool'));
  record.tool = { ...declaration, declaredOn: target };
}

/** Reads what the decorators recorded on `toolClass` and its parents. */
export function getToolMetadata(toolClass: abstract new (...args: any[]) => unknown): ToolMetadata {
  const metadata = (toolClass as { [Symbol.metadata]?: MetadataObject | null })[Symbol.metadata];
  return metadata?.[TOOL_METADATA] ?? EMPTY;
}
