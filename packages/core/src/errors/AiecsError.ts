/** Base class of every error the framework raises: a stable `code` and an optional `cause`. */
export class AiecsError extends Error {
  /** Machine-readable error code, stable across releases. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
