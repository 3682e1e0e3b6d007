import { AiecsError, type AiecsErrorOptions } from './AiecsError';
import { errorKind, type ErrorKind } from './errorKind';
import { registerErrorClass } from './errorRegistry';

/** Where a failure happened: the tool class and the operation. */
export interface OperationSite {
  /** Tool name (the class name unless the tool overrides it). */
  readonly tool: string;
  /** Operation (method) name. */
  readonly operation: string;
}

/** Options of {@link ToolExecutionError}. */
export interface ToolExecutionErrorOptions extends AiecsErrorOptions {
  /** Error code; `'TOOL_EXECUTION'` by default. */
  readonly code?: string;
}

/**
 * An operation failed; `cause` holds what the method (or a policy) threw.
 *
 * Its `kind` is `options.kind` if given, else the kind of the cause (`errorKind(cause)`) when a
 * cause was given, else `'internal'`. A subclass that declares its own `defaultKind` keeps it
 * whatever the cause.
 */
export class ToolExecutionError extends AiecsError {
  /** Used when neither a kind nor a cause is given. */
  static override readonly defaultKind: ErrorKind = 'internal';

  /** Tool name. */
  readonly tool: string;
  /** Operation name. */
  readonly operation: string;

  constructor(site: OperationSite, message: string, options?: ToolExecutionErrorOptions) {
    const hasCause = options !== undefined && 'cause' in options;
    const kind = options?.kind ?? (hasCause && !declaresDefaultKind(new.target) ? errorKind(options.cause) : undefined);
    super(options?.code ?? 'TOOL_EXECUTION', `${site.tool}.${site.operation}: ${message}`, {
      ...(hasCause ? { cause: options.cause } : {}),
      kind,
    });
    this.tool = site.tool;
    this.operation = site.operation;
  }
}

/** Whether a subclass between `cls` and `ToolExecutionError` (exclusive) declares its own `defaultKind`. */
function declaresDefaultKind(cls: unknown): boolean {
  for (let c: unknown = cls; typeof c === 'function' && c !== ToolExecutionError; c = Object.getPrototypeOf(c)) {
    if (Object.hasOwn(c, 'defaultKind')) return true;
  }
  return false;
}

/** The requested operation does not exist on the tool, or is not public. Kind `'caller'`. */
export class UnknownOperationError extends ToolExecutionError {
  /** The caller asked for something that is not there. */
  static override readonly defaultKind: ErrorKind = 'caller';

  constructor(site: OperationSite, reason: string) {
    super(site, reason, { code: 'UNKNOWN_OPERATION' });
  }
}

/**
 * The operation's circuit breaker is open: the call failed fast without reaching the method.
 * Kind `'rejected'`, whatever the cause.
 */
export class CircuitOpenError extends ToolExecutionError {
  /** Refused by a policy: retry later, not within this call. */
  static override readonly defaultKind: ErrorKind = 'rejected';

  constructor(site: OperationSite, options?: { cause?: unknown }) {
    super(site, 'circuit breaker is open; the call was not attempted', { ...options, code: 'CIRCUIT_OPEN' });
  }
}

/** The operation's bulkhead is full (all slots busy and the queue full). Kind `'rejected'`, whatever the cause. */
export class BulkheadRejectedError extends ToolExecutionError {
  /** Refused by a policy: retry later, not within this call. */
  static override readonly defaultKind: ErrorKind = 'rejected';

  /** How many calls may run at once. */
  readonly limit: number;
  /** How many calls may wait for a slot. */
  readonly queue: number;

  constructor(site: OperationSite, limit: number, queue: number, options?: { cause?: unknown }) {
    super(site, `bulkhead is full (${limit} running, ${queue} queued)`, { ...options, code: 'BULKHEAD_REJECTED' });
    this.limit = limit;
    this.queue = queue;
  }
}

registerErrorClass(ToolExecutionError);
registerErrorClass(UnknownOperationError);
registerErrorClass(CircuitOpenError);
registerErrorClass(BulkheadRejectedError);
