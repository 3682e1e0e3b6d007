import type { ToolFace } from '@aiecs/tool-definitions';
import type { Tool, ToolAnnotations } from '@modelcontextprotocol/server';

/**
 * The side-effect declarations as MCP annotations. Only what was declared is sent: an undeclared hint
 * keeps MCP's default (`destructiveHint` and `openWorldHint` true, `idempotentHint` false), the cautious
 * reading. `readOnly` implies idempotent.
 */
export function annotationsOf(face: ToolFace): ToolAnnotations {
  const { readOnly, idempotent, destructive, openWorld } = face.operation.sideEffects;
  const annotations: { -readonly [K in keyof ToolAnnotations]: ToolAnnotations[K] } = { title: face.operation.qualifiedName };
  if (readOnly !== undefined) annotations.readOnlyHint = readOnly;
  if (readOnly === true) annotations.idempotentHint = true;
  else if (idempotent !== undefined) annotations.idempotentHint = idempotent;
  if (destructive !== undefined) annotations.destructiveHint = destructive;
  if (openWorld !== undefined) annotations.openWorldHint = openWorld;
  return annotations;
}

/** The `tools/list` entries: name, description, the input's JSON Schema (raw, as generated) and annotations. */
export function listedTools(faces: readonly ToolFace[]): Tool[] {
  return faces.map((face) => ({
    name: face.name,
    description: face.description,
    inputSchema: face.inputSchema as Tool['inputSchema'],
    annotations: annotationsOf(face),
  }));
}
