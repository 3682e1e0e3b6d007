import type { Constructor, ValidateDeclaration } from '@aiecs/core';

/** The seed's convention: a static `ReadSchema` member on the tool class is the schema of operation `read`. */
export function conventionalSchema(toolClass: Constructor, operation: string): ValidateDeclaration | undefined {
  const key = `${operation.charAt(0).toUpperCase()}${operation.slice(1)}Schema`;
  const schema = (toolClass as unknown as Record<string, unknown>)[key];
  return typeof schema === 'function' ? { schema: schema as Constructor, options: {} } : undefined;
}
