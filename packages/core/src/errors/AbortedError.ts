import { AiecsError } from './AiecsError';
import type { ErrorKind } from './errorKind';
import { registerErrorClass } from './errorRegistry';

/** The caller aborted the operation through its own `AbortSignal`. Never retried. Kind `'caller'`. */
export class AbortedError extends AiecsError {
  /** The caller's own decision. */
  static override readonly defaultKind: ErrorKind = 'caller';

  constructor(options?: { cause?: unknown }) {
    super('ABORTED', 'operation aborted by the caller', options);
  }
}

registerErrorClass(AbortedError);
