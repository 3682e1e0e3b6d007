import { AiecsError } from './AiecsError';

/** Where a failure happened: the tool class and the operation. */
export interface OperationSite {
  /** Tool name (the class name unless the tool overrides it). */
  readonly tool: string;
  /** Operation (method) name. */
  readonly operation: string;
}

/** An operation failed; `cause` holds what the method (or a policy) threw. */
export class ToolExecutionError extends AiecsError {
  /** Tool name. */
  readonly tool: string;
  /** Operation name. */
  readonly operation: string;

  constructor(site: OperationSite, message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'TOOL_EXECUTION', `${site.tool}.${site.operation}: ${message}`, options);
    this.tool = site.tool;
    this.operation = site.operation;
  }
}

/** The requested operation does not exist on the tool, or is not public. */
export class UnknownOperationError extends ToolExecutionError {
  constructor(site: OperationSite, reason: string) {
    super(site, reason, { code: 'UNKNOWN_OPERATION' });
  }
}

/** The operation's circuit breaker is open: the call failed fast without reaching the method. */
export class CircuitOpenError extends ToolExecutionError {
  constructor(site: OperationSite, options?: { cause?: unknown }) {
    super(site, 'circuit breaker is open; the call was not attempted', { ...options, code: 'CIRCUIT_OPEN' });
  }
}

/** The operation's bulkhead is full (all slots busy and the queue full). */
export class BulkheadRejectedError extends ToolExecutionError {
  constructor(site: OperationSite, limit: number, queue: number, options?: { cause?: unknown }) {
    super(site, `bulkhead is full (${limit} running, ${queue} queued)`, { ...options, code: 'BULKHEAD_REJECTED' });
  }
}
