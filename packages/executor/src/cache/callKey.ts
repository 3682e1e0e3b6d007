import { cacheKeyText, hashCacheKeyText } from './cacheKey';

/**
 * Longer canonical texts are hashed even for an in-memory store, to bound the memory a key holds.
 * Long strings are hashed inside the text already (`LONG_STRING_CHARS`), so this is reached only by
 * inputs with many fields or long arrays: a 100-field input's text (~1.5 kB) stays raw.
 */
const MAX_RAW_KEY_LENGTH = 4096;

/**
 * Every cache key of `tool` starts with this, raw or hashed: clearing one tool's entries in a shared
 * store is `store.clear(toolKeyPrefix(tool))`.
 */
export function toolKeyPrefix(tool: string): string {
  return cacheKeyText([tool]) + '\n';
}

/**
 * The cache key function of one operation: tool, operation, user, task and raw input. A store that
 * keeps keys in memory (`acceptsRawKeys`) gets canonical texts up to 4 kB as they are (never hashed:
 * long strings in them are hashed once by the encoding); others get the tool prefix and a SHA-256,
 * computed once per call. An input the encoding refuses (a `Map`, a cycle, …) has no key: the call
 * then bypasses the cache.
 */
export function operationKeyFunction(
  tool: string,
  operation: string,
  rawKeys: boolean,
): (userId: string, taskId: string, input: unknown) => string | undefined {
  const toolPrefix = cacheKeyText([tool]);
  const prefix = cacheKeyText([operation], toolPrefix);
  const hashedPrefix = toolPrefix + '\n#';
  // Calls come in runs from one user and task: the last caller's encoded prefix is reused (same text).
  let lastUser: string | undefined;
  let lastTask: string | undefined;
  let callerPrefix = '';
  return (userId, taskId, input) => {
    let text: string;
    try {
      if (userId !== lastUser || taskId !== lastTask) {
        callerPrefix = cacheKeyText([userId, taskId], prefix);
        lastUser = userId;
        lastTask = taskId;
      }
      text = cacheKeyText([input], callerPrefix);
    } catch {
      return undefined;
    }
    if (!rawKeys || text.length > MAX_RAW_KEY_LENGTH) return hashedPrefix + hashCacheKeyText(text);
    // One flat string rather than a rope of the parts: every lookup of the call (cache, single
    // flight) hashes it, and the store keeps it (see MemoryCacheStore's flatKey).
    text.charCodeAt(0);
    return text;
  };
}
