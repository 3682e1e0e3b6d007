import { cacheKeyText, hashCacheKeyText } from './cacheKey';

/** Longer canonical texts are hashed even for an in-memory store, to bound the memory a key holds. */
const MAX_RAW_KEY_LENGTH = 512;

/**
 * Every cache key of `tool` starts with this, raw or hashed: clearing one tool's entries in a shared
 * store is `store.clear(toolKeyPrefix(tool))`.
 */
export function toolKeyPrefix(tool: string): string {
  return cacheKeyText([tool]) + '\n';
}

/**
 * The cache key function of one operation: tool, operation, user, task and raw input. A store that
 * keeps keys in memory (`acceptsRawKeys`) gets short canonical texts as they are; others get the
 * tool prefix and a SHA-256. An input the encoding refuses (a `Map`, a cycle, …) has no key: the call
 * then bypasses the cache.
 */
export function operationKeyFunction(tool: string, operation: string, rawKeys: boolean): (userId: string, taskId: string, input: unknown) => string | undefined {
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
    return rawKeys && text.length <= MAX_RAW_KEY_LENGTH ? text : hashedPrefix + hashCacheKeyText(text);
  };
}
