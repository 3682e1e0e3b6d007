import { ConfigurationError } from '@aiecs/core';
import type { OperationDescriptor } from '@aiecs/executor';

/** Whose naming rules a tool name must follow. */
export type NamingTarget = 'mcp' | 'openai' | 'anthropic';

/**
 * Each target's rule for tool names. MCP (spec 2025-11-25, "Tool names"): 1–128 characters of
 * `A–Z a–z 0–9 _ - .`. OpenAI function names and Anthropic tool names: `^[a-zA-Z0-9_-]{1,64}$` (no dot).
 */
export const TOOL_NAME_RULES: Readonly<Record<NamingTarget, RegExp>> = Object.freeze({
  mcp: /^[A-Za-z0-9_.-]{1,128}$/,
  openai: /^[A-Za-z0-9_-]{1,64}$/,
  anthropic: /^[A-Za-z0-9_-]{1,64}$/,
});

/** The separator each target uses by default between tool and operation: `file.read` for MCP, `file_read` elsewhere. */
export const DEFAULT_SEPARATORS: Readonly<Record<NamingTarget, string>> = Object.freeze({ mcp: '.', openai: '_', anthropic: '_' });

/**
 * The model-facing name of each operation (`tool<separator>operation`), checked against the target's
 * rule; two operations may not map to one name. Throws `ConfigurationError` naming the operation.
 */
export function toolNames(
  operations: readonly OperationDescriptor[],
  target: NamingTarget,
  separator = DEFAULT_SEPARATORS[target],
): ReadonlyMap<string, OperationDescriptor> {
  const rule = TOOL_NAME_RULES[target];
  if (typeof separator !== 'string' || separator.length === 0 || !rule.test(separator)) {
    throw new ConfigurationError(
      'separator',
      separator,
      `must be a non-empty string of characters allowed in ${target} tool names (${rule.source})`,
    );
  }
  const names = new Map<string, OperationDescriptor>();
  for (const op of operations) {
    const name = `${op.tool}${separator}${op.name}`;
    if (!rule.test(name))
      throw new ConfigurationError(
        op.qualifiedName,
        name,
        `is not a valid ${target} tool name (${rule.source}); rename the tool or operation, or choose another separator`,
      );
    const other = names.get(name);
    if (other)
      throw new ConfigurationError(
        op.qualifiedName,
        name,
        `maps to the same ${target} tool name as ${other.qualifiedName}; choose another separator`,
      );
    names.set(name, op);
  }
  return names;
}
