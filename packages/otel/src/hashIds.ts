import { ConfigurationError } from '@aiecs/core';
import { createHash } from 'node:crypto';

/** How user and task ids become attributes: as they are, hashed, or left out. */
export type IdPolicy = boolean | ((id: string) => string);

/** SHA-256 of the id, the first 16 hex characters: stable across processes, not reversible from the trace. */
export function sha256Id(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 16);
}

/**
 * The function applied to ids before they are recorded (`undefined`: ids are recorded as they are). Calls
 * come in runs from one user and task, so the last answer is reused.
 */
export function idMapper(hashIds: IdPolicy | undefined): ((id: string) => string) | undefined {
  if (hashIds === undefined || hashIds === false) return undefined;
  if (hashIds !== true && typeof hashIds !== 'function')
    throw new ConfigurationError('hashIds', hashIds, 'expected true, false or a function (id) => string');
  const hash = hashIds === true ? sha256Id : hashIds;
  let lastId: string | undefined;
  let lastHash = '';
  return (id) => {
    if (id !== lastId) {
      lastHash = String(hash(id));
      lastId = id;
    }
    return lastHash;
  };
}
