import type { ToolOptions } from '../metadata/declarations';
import { assertStandardDecoratorContext } from './standardDecoratorContext';
import { declareTool } from '../metadata/toolMetadata';
import { ConfigurationError } from '../errors/ConfigurationError';

/** Names a registry accepts: they become the first half of `tool.operation` and of MCP tool names. */
const TOOL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Throws `ConfigurationError` unless `options` are valid `@Tool` options; `path` names them in the error. */
export function checkToolOptions(options: ToolOptions, path = 'Tool'): ToolOptions {
  if (options === null || typeof options !== 'object') throw new ConfigurationError(path, options, 'expected an object');
  if (options.name !== undefined && (typeof options.name !== 'string' || !TOOL_NAME.test(options.name))) {
    throw new ConfigurationError(`${path}.name`, options.name, 'expected 1-64 letters, digits, _ or -, starting with a letter or digit');
  }
  if (options.description !== undefined && typeof options.description !== 'string') {
    throw new ConfigurationError(`${path}.description`, options.description, 'expected a string');
  }
  return options;
}

/**
 * Names and describes a tool class for registries (`createApp`, `describeTool`, MCP). Without it the
 * name is the class name in kebab-case without a `Tool` suffix (`HttpFetchTool` → `http-fetch`).
 *
 * @example
 * ```ts
 * @Tool({ name: 'file', description: 'Reads files under the workspace directory' })
 * class FileTool extends BaseTool { … }
 * ```
 */
export function Tool(options: ToolOptions = {}) {
  checkToolOptions(options);
  return <C extends abstract new (...args: any) => any>(target: C, context: ClassDecoratorContext<C>): void => {
    assertStandardDecoratorContext('Tool', context);
    if (context.kind !== 'class') throw new TypeError(`@Tool applies to tool classes, not to a ${(context as { kind: string }).kind}`);
    declareTool(context, target as never, { ...options });
  };
}
