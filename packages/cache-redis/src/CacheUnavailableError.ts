import { AiecsError, registerErrorClass, type ErrorKind } from '@aiecs/core';

/**
 * The Redis store could not answer: the server is unreachable, a command timed out, the store's breaker is
 * open after repeated failures, or the store is closed. The pipeline treats it as a miss (reads) or a
 * skipped write; it never reaches a tool's caller. Kind `'transient'`. Code `CACHE_UNAVAILABLE`.
 */
export class CacheUnavailableError extends AiecsError {
  /** Redis may answer again later. */
  static override readonly defaultKind: ErrorKind = 'transient';

  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('CACHE_UNAVAILABLE', message, options);
  }
}

registerErrorClass(CacheUnavailableError);
