import { AiecsError } from './AiecsError';
import type { ErrorKind } from './errorKind';
import { registerErrorClass } from './errorRegistry';

/**
 * A deadline passed before the operation finished; the caller was released at the deadline.
 * An attempt's timeout is `'transient'` (another attempt may be fast enough); the call's own deadline
 * is `'rejected'`: the deadline policy refuses further work on this call (the caller may try again later).
 */
export class TimeoutError extends AiecsError {
  /** Another try may be fast enough. */
  static override readonly defaultKind: ErrorKind = 'transient';

  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  /** `'call'` for the overall deadline (retries included), `'attempt'` for a per-attempt timeout. */
  readonly scope: 'call' | 'attempt';
  /** Tool name, when known. */
  readonly tool?: string;
  /** Operation name, when known. */
  readonly operation?: string;

  constructor(timeoutMs: number, scope: 'call' | 'attempt' = 'call', site?: { tool: string; operation: string }) {
    const where = site ? `${site.tool}.${site.operation}` : 'operation';
    super('TIMEOUT', `${where} timed out after ${timeoutMs} ms (${scope} deadline)`, {
      kind: scope === 'attempt' ? 'transient' : 'rejected',
    });
    this.timeoutMs = timeoutMs;
    this.scope = scope;
    this.tool = site?.tool;
    this.operation = site?.operation;
  }
}

registerErrorClass(TimeoutError);
