import type { RequestId } from '@modelcontextprotocol/server';

/** A `tools/call` request in its plain shape: what the cache-hit shortcut may answer ahead of the SDK. */
export interface PlainToolCall {
  readonly id: RequestId;
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>> | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isIdOrToken(value: unknown): value is string | number {
  return typeof value === 'string' || Number.isSafeInteger(value);
}

/** Keys allowed at each level; anything else (a `task`, 2026-era `_meta` envelope keys, `inputResponses`) is not plain. */
const MESSAGE_KEYS: ReadonlySet<string> = new Set(['jsonrpc', 'id', 'method', 'params']);
const PARAMS_KEYS: ReadonlySet<string> = new Set(['name', 'arguments', '_meta']);

function onlyKeys(object: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in object) if (!allowed.has(key)) return false;
  return true;
}

/**
 * The request, when `message` is a JSON-RPC `tools/call` request of the plain 2025-era shape: an
 * integer or string id, a string `name`, `arguments` absent or an object, `_meta` absent or holding
 * only a `progressToken`, and nothing else. Stricter than the SDK's schema (a test checks that the SDK
 * accepts every request this accepts), so answering one ahead never answers a request the SDK would
 * refuse; any other message is left to the SDK.
 */
export function plainToolCall(message: unknown): PlainToolCall | undefined {
  if (!isPlainObject(message) || message.method !== 'tools/call' || message.jsonrpc !== '2.0') return undefined;
  const { id, params } = message;
  if (!isIdOrToken(id) || !isPlainObject(params) || !onlyKeys(message, MESSAGE_KEYS) || !onlyKeys(params, PARAMS_KEYS)) return undefined;
  const { name, arguments: args, _meta: meta } = params;
  if (typeof name !== 'string' || (args !== undefined && !isPlainObject(args))) return undefined;
  if (meta !== undefined) {
    if (!isPlainObject(meta)) return undefined;
    for (const key in meta) if (key !== 'progressToken' || !isIdOrToken(meta[key])) return undefined;
  }
  return { id, name, args };
}
