import { AiecsError } from './AiecsError';

/** The caller aborted the operation through its own `AbortSignal`. Never retried. */
export class AbortedError extends AiecsError {
  constructor(options?: { cause?: unknown }) {
    super('ABORTED', 'operation aborted by the caller', options);
  }
}
