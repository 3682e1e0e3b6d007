/**
 * The default registry name of a tool class: kebab-case, without a `Tool` suffix
 * (`FileTool` → `file`, `HTTPFetchTool` → `http-fetch`, `Tool` → `tool`).
 */
export function kebabToolName(className: string): string {
  const base = className.length > 4 && className.endsWith('Tool') ? className.slice(0, -4) : className;
  const kebab = base
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return kebab || 'tool';
}
