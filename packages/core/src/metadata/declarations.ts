import type { StandardSchemaV1 } from '@standard-schema/spec';

/** Any class constructor. */

export type Constructor<T = object> = new (...args: any[]) => T;

/** Options of `@ValidateInput`. Strict by default; see the README for what "strict" covers. */
export interface ValidateOptions {
  /** Inputs nested deeper than this are refused before class-validator sees them (default 32). */
  readonly maxDepth?: number;
  /** Reject properties the schema does not declare (default true). */
  readonly forbidUnknown?: boolean;
}

/**
 * What `@ValidateInput` validates against: a schema class decorated with `@aiecs/validation`
 * decorators (the primary path), or any Standard Schema (`@standard-schema/spec` 1.x: zod 4, valibot, arktype…).
 */
export type InputSchema = Constructor | StandardSchemaV1;

/** What `@ValidateInput(Schema)` records. */
export interface ValidateDeclaration {
  /** The schema: a class decorated with `@aiecs/validation` decorators, or a Standard Schema. */
  readonly schema: InputSchema;
  /** Validation options. */
  readonly options: ValidateOptions;
}

/** A custom rule for `@Sanitize`: `matches` returns true when the string must be rejected. */
export interface SecurityRule {
  /** Rule name, reported in `SecurityError.rule`. */
  readonly name: string;
  /** Why a match is rejected, reported in the error message. */
  readonly reason: string;
  /** True when `value` must be rejected. */
  matches(value: string): boolean;
}

/**
 * Names of the built-in security rules. `script` (HTML/JS injection) and `legacySql` (the Python
 * original's word ban) are never on by default; see SECURITY.md for what each one covers.
 */
export type BuiltinSecurityRule = 'sqlInjection' | 'pathTraversal' | 'nullByte' | 'script' | 'legacySql';

/** The directories a path field is confined to: one, several (a relative path resolves against the first). */
export type PathRoots = string | readonly string[];

/** Path confinement of one field (`@Sanitize({ fields: { path: { confine: … } } })`). */
export interface PathConfinementOptions<This = any> {
  /** The allowed root(s), or a function of the tool instance (its configuration is `tool.executor.config`). */
  readonly root: PathRoots | ((tool: This) => PathRoots);
  /** Allowed extensions (`['.md', '.txt']`, case-insensitive); default: `allowedFileExtensions` (`ALLOWED_FILE_EXTENSIONS`), else any. */
  readonly extensions?: readonly string[];
}

/** What `@Sanitize` adds for one field (a dotted path, `*` for any one segment) and everything under it. */
export interface FieldSanitizeOptions<This = any> {
  /** Built-in rules run on this field in addition to the operation's (e.g. `['script']`). */
  readonly rules?: readonly BuiltinSecurityRule[];
  /** Confine the field's value (a path) to allowed roots; checked after the string rules, with `realpath`. */
  readonly confine?: PathConfinementOptions<This>;
}

/** What the output screen does with instruction-like content in an operation's result. */
export type OutputAction = 'report' | 'refuse' | 'wrap';

/** Output rules of an operation (`@Sanitize({ output })`). */
export interface OutputScreenOptions {
  /** `report` (default): an `untrustedOutput` event; `refuse`: a `SecurityError`; `wrap`: flagged strings are wrapped as untrusted data. */
  readonly action?: OutputAction;
}

/** Options of `@Sanitize`. */
export interface SanitizeOptions<This = any> {
  /** Built-in rules run on every string (default: the set `SECURITY_LEVEL` picks; `medium`: sqlInjection, pathTraversal, nullByte). */
  readonly rules?: readonly BuiltinSecurityRule[];
  /** Extra rules, run after the built-in ones. */
  readonly customRules?: readonly SecurityRule[];
  /** Dotted field paths (`query`, `filters.name`) not to check. */
  readonly exclude?: readonly string[];
  /** Per-field additions: extra rules (`script`) and path confinement. */
  readonly fields?: Readonly<Record<string, FieldSanitizeOptions<This>>>;
  /** Screen the result for instruction-like content (default: on for `openWorld` operations, action `report`); `false` turns it off. */
  readonly output?: boolean | OutputScreenOptions;
}

/** Options of `@CacheResult`. */
export interface CacheOptions {
  /** Entry lifetime in ms; `0` never expires; default: the tool's `cacheTtlMs`. */
  readonly ttlMs?: number;
}

/** Options of `@RunInExecutor`. */
export interface RunInExecutorOptions {
  /**
   * The named pool of the worker invoker that runs the body (`workerPool({ pools: { <name>: … } })` of
   * `@aiecs/worker`); without it, the invoker's default pool. A name the invoker does not define is
   * refused when the operation is planned.
   */
  readonly pool?: string;
  /**
   * The module that defines (and exports) the tool class, for a worker thread to load: `__filename`
   * (CommonJS) or `import.meta.url` (ESM). Recorded as an absolute path. When not given, it is the
   * file where `@RunInExecutor()` was applied, found from the call's stack frame; where that frame
   * has no file (a REPL, `eval`, `vm` code) nothing is recorded and planning the operation off-thread fails.
   */
  readonly module?: string;
}

/** A cockatiel-compatible backoff factory (`IBackoffFactory`), accepted as is by `@Retry`. */
export interface BackoffFactoryLike {
  next(context: any): { readonly duration: number; next(context: any): unknown };
}

/** Options of `@Retry`. */
export interface RetryOptions {
  /** Total attempts, the first one included (default: the tool's `retryAttempts`). `1` = no retry. */
  readonly attempts?: number;
  /** Backoff shape, or any cockatiel backoff (default `'exponential'`). */
  readonly backoff?: 'exponential' | 'constant' | BackoffFactoryLike;
  /** First delay in ms (default: the tool's `retryBackoffMs`). */
  readonly initialDelayMs?: number;
  /** Largest delay in ms (default 30 000). */
  readonly maxDelayMs?: number;
  /** Randomise delays ("decorrelated jitter"; default true). */
  readonly jitter?: boolean;
  /** Narrows what is retried; never widens past the non-retryable errors. */
  readonly retryOn?: (error: unknown) => boolean;
}

/** Options of `@Timeout`: a per-attempt limit. */
export interface TimeoutOptions {
  /** Limit of one attempt in ms. */
  readonly ms: number;
  /** `'aggressive'` (default) releases the caller at the limit; `'cooperative'` only aborts the signal. */
  readonly strategy?: 'cooperative' | 'aggressive';
}

/** Options of `@CircuitBreaker`. */
export interface CircuitBreakerOptions {
  /** Open after this many consecutive failures (used when `sampling` is absent; default 5). */
  readonly threshold?: number;
  /** Open when the failure ratio over a sliding window passes `threshold` (0..1). */
  readonly sampling?: { readonly threshold: number; readonly durationMs: number; readonly minimumRps?: number };
  /** Time the circuit stays open before letting one trial call through. */
  readonly halfOpenAfterMs: number;
}

/** Options of `@Bulkhead`. */
export interface BulkheadOptions {
  /** Operations of this kind running at once. */
  readonly limit: number;
  /** Calls allowed to wait for a slot (default 0). */
  readonly queue?: number;
}

/** What `@Fallback` returns instead of an error: a value, or a function of the error. */
export type FallbackSource = unknown;

/** A cockatiel-compatible policy (`IPolicy`): anything with `execute(fn, signal)`. */
export interface PolicyLike {
  // `Promise<unknown>`: a fallback policy answers with its own value type (`Promise<T | R>`).
  execute<T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T, signal?: AbortSignal): Promise<unknown>;
}

/** A policy, or a factory called once per tool instance and operation. */
export type PolicySource = PolicyLike | ((site: { tool: string; operation: string }) => PolicyLike);

/** Resilience policies; declared per operation, per tool class, or in configuration. */
export interface PolicyDeclarations {
  /** `@Retry`. */
  readonly retry?: RetryOptions;
  /** `@Timeout` (per attempt). */
  readonly timeout?: TimeoutOptions;
  /** `@CircuitBreaker`. */
  readonly circuitBreaker?: CircuitBreakerOptions;
  /** `@Bulkhead`. */
  readonly bulkhead?: BulkheadOptions;
  /** `@Fallback`. */
  readonly fallback?: { readonly value: FallbackSource };
  /** `@UsePolicy`. */
  readonly policies?: readonly PolicySource[];
}

/**
 * What an operation does to the world, in MCP's vocabulary (`readOnlyHint`, `idempotentHint`,
 * `destructiveHint`, `openWorldHint`). Undeclared fields are unknown, not false.
 */
export interface SideEffects {
  /** Changes nothing: safe to repeat and to cache. Implies `idempotent`. */
  readonly readOnly?: boolean;
  /** Repeating a call with the same input has no further effect. `false`: never retried unless its own `@Retry` opts in. */
  readonly idempotent?: boolean;
  /** May destroy or overwrite data: never retried unless its own `@Retry` opts in; `@CacheResult` is refused. */
  readonly destructive?: boolean;
  /** Reaches outside the tool's own closed world (the network, other services). */
  readonly openWorld?: boolean;
}

/** Options of `@Operation`: a description for models and people, and side-effect declarations. */
export interface OperationOptions extends SideEffects {
  /** What the operation does, as a model should read it. */
  readonly description?: string;
}

/** Options of `@Tool`. */
export interface ToolOptions {
  /** Registry name (letters, digits, `_`, `-`); default: the class name in kebab-case without a `Tool` suffix. */
  readonly name?: string;
  /** What the tool is for, as a model should read it. */
  readonly description?: string;
}

/** What `@Tool` records, with the class it was declared on (a subclass does not inherit a name). */
export interface ToolDeclaration extends ToolOptions {
  /** The class `@Tool` decorated. */
  readonly declaredOn: Constructor;
}

/** Everything the decorators recorded about one operation. */
export interface OperationDeclaration extends PolicyDeclarations {
  /** Operation (method) name. */
  readonly name: string;
  /** `@Operation`: description and side effects. */
  readonly operation?: OperationOptions;
  /** `@ValidateInput`. */
  readonly validate?: ValidateDeclaration;
  /** `@Sanitize`. */
  readonly sanitize?: SanitizeOptions;
  /** `@CacheResult`. */
  readonly cache?: CacheOptions;
  /** `@MeasureTime`. */
  readonly measure?: boolean;
  /** `@RunInExecutor`. */
  readonly runInExecutor?: RunInExecutorOptions;
}

/** Everything the decorators recorded about one tool class (its parents' declarations included). */
export interface ToolMetadata {
  /** Decorated operations by name. */
  readonly operations: ReadonlyMap<string, OperationDeclaration>;
  /** Policies declared on the class, applied to operations that do not declare their own. */
  readonly toolPolicies: PolicyDeclarations;
  /** `@Tool`, when the class or a parent has one (see `declaredOn`). */
  readonly tool?: ToolDeclaration;
}
