import type { RequestId } from '@modelcontextprotocol/server';

/** A `tools/call` request in its plain shape: what `ToolCallServer` serves without the SDK's request dispatch. */
export interface PlainToolCall {
  readonly id: RequestId;
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>> | undefined;
  /** `_meta.progressToken`: the client asks for progress notifications. */
  readonly progressToken: string | number | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isIdOrToken(value: unknown): value is string | number {
  return typeof value === 'string' || Number.isSafeInteger(value);
}

/** Own and inherited enumerable keys (a plain object inherits none): counted, so an unknown key is seen without naming it. */
function keyCount(object: object): number {
  let count = 0;
  for (const _ in object) count++;
  return count;
}

const has = (object: object, key: string): number => (key in object ? 1 : 0);

/**
 * The request, when `message` is a JSON-RPC `tools/call` request of the plain 2025-era shape: an
 * integer or string id, a string `name`, `arguments` absent or an object, `_meta` absent or holding
 * only a `progressToken`, and nothing else. Stricter than the SDK's schema (a test checks that the SDK
 * accepts every request this accepts), so serving one without the SDK never serves a request the SDK would
 * refuse; any other message is left to the SDK.
 */
export function plainToolCall(message: unknown): PlainToolCall | undefined {
  if (!isPlainObject(message) || message.method !== 'tools/call' || message.jsonrpc !== '2.0') return undefined;
  const { id, params } = message;
  // jsonrpc, id, method and params, all present: four keys and no other.
  if (!isIdOrToken(id) || !isPlainObject(params) || keyCount(message) !== 4) return undefined;
  const { name, arguments: args, _meta: meta } = params;
  if (typeof name !== 'string' || (args !== undefined && !isPlainObject(args))) return undefined;
  // name, and arguments and _meta when present: no other key (a `task`, `inputResponses`, `requestState`).
  if (keyCount(params) !== 1 + has(params, 'arguments') + has(params, '_meta')) return undefined;
  let progressToken: string | number | undefined;
  if (meta !== undefined) {
    // Only a progressToken (no 2026-era envelope key, no related task).
    if (!isPlainObject(meta) || keyCount(meta) !== has(meta, 'progressToken')) return undefined;
    progressToken = meta.progressToken as string | number | undefined;
    if ('progressToken' in meta && !isIdOrToken(progressToken)) return undefined;
  }
  return { id, name, args, progressToken };
}
