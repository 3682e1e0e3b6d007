import type { ErrorKind } from './errorKind';
import { errorFromJSON } from './errorFromJson';
import type { AiecsErrorJSON } from './errorJson';
import { errorToJSON } from './errorToJson';
import { registerErrorClass } from './errorRegistry';
import { AIECS_ERROR_BRAND } from './isAiecsError';

/** Options every `AiecsError` constructor passes to the base class. */
export interface AiecsErrorOptions {
  /** What caused this error (kept as the standard `Error#cause`). */
  readonly cause?: unknown;
  /** Overrides the class's {@link AiecsError.defaultKind}. */
  readonly kind?: ErrorKind;
}

/**
 * Base class of every error the framework raises: a stable `code`, a {@link ErrorKind} and an
 * optional `cause`. Recognise one with {@link isAiecsError} (works across copies of the package);
 * send one across a boundary with `toJSON()` / `AiecsError.fromJSON()`.
 */
export class AiecsError extends Error {
  /** The `kind` of instances whose constructor was given none. Subclasses override it. */
  static readonly defaultKind: ErrorKind = 'internal';

  /** Machine-readable error code, stable across releases. */
  readonly code: string;
  /** What the failure means for the caller: fix the call, retry, retry later, or report a defect. */
  readonly kind: ErrorKind;

  constructor(code: string, message: string, options?: AiecsErrorOptions) {
    super(message, options !== undefined && 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
    this.kind = options?.kind ?? new.target.defaultKind;
    this.name = new.target.name;
  }

  /**
   * Plain data for `JSON.stringify` and `structuredClone`: name, code, kind, message, stack, the
   * serialised cause chain and the subclass's own fields (see {@link AiecsErrorJSON}).
   */
  toJSON(): AiecsErrorJSON {
    return errorToJSON(this);
  }

  /**
   * Rebuilds an error from its {@link AiecsErrorJSON}: an instance of the class registered under
   * `json.name` (all built-in classes are; see `registerErrorClass`) with the same code, kind,
   * message, stack, fields and cause chain. The constructor is not called. An unregistered name
   * gives an `AiecsError` that keeps the name.
   * @throws TypeError when `json` is not an object or lacks a string `code` or `message`.
   */
  static fromJSON(json: AiecsErrorJSON): AiecsError {
    return errorFromJSON(json, AiecsError);
  }
}

Object.defineProperty(AiecsError.prototype, AIECS_ERROR_BRAND, { value: true });
registerErrorClass(AiecsError);
