import { availableParallelism } from 'node:os';
import type { ErrorKind, BulkheadOptions, CircuitBreakerOptions, PolicySource, RetryOptions, TimeoutOptions } from '@aiecs/core';
import type { CacheStore } from '../cache/CacheStore';
import type { Logger, LogLevel } from '../logging/Logger';
import type { SecurityLevel } from '../security/securityLevel';

/** Per-operation settings given in configuration; they override what the decorators declare. */
export interface OperationConfig {
  /** Overall deadline of one call, retries and backoff included (ms; 0 = none). */
  readonly timeoutMs?: number;
  /** Retry settings (replace the declared ones field by field). */
  readonly retry?: RetryOptions;
  /** Per-attempt timeout. */
  readonly timeout?: number | TimeoutOptions;
  /** Circuit breaker settings. */
  readonly circuitBreaker?: CircuitBreakerOptions;
  /** Bulkhead settings. */
  readonly bulkhead?: BulkheadOptions;
  /** Extra cockatiel policies. */
  readonly policies?: readonly PolicySource[];
  /** Cache lifetime of this operation's results (ms; 0 = never expires). */
  readonly cacheTtlMs?: number;
  /** Largest serialised input of this operation, in bytes (0 = no limit). */
  readonly maxInputSize?: number;
}

/** Options of a tool (the seed's ToolExecutor settings, camelCase, durations in ms). */
export interface ToolConfig {
  /** Cache results of `@CacheResult` operations (default true). */
  readonly enableCache: boolean;
  /** Entries kept in the in-memory LRU (default 100; 0 caches nothing). */
  readonly cacheSize: number;
  /** Default entry lifetime (default 3 600 000 ms; 0 = never expires). */
  readonly cacheTtlMs: number;
  /** Total attempts per call, the first included (default 3). */
  readonly retryAttempts: number;
  /** First retry delay; later delays grow exponentially (default 1000 ms). */
  readonly retryBackoffMs: number;
  /** Deadline of a whole call, retries included (default 30 000 ms; 0 = none). */
  readonly timeoutMs: number;
  /** Run the `@Sanitize` checks (default true). */
  readonly enableSecurityChecks: boolean;
  /** Measure and log every operation, not only `@MeasureTime` ones (default false). */
  readonly logExecutionTime: boolean;
  /** Worker threads of the pool `@RunInExecutor` operations run on (`@aiecs/worker`; default: `os.availableParallelism()`). */
  readonly maxWorkers: number;
  /** Default concurrency of `runBatch` (default 10). */
  readonly ioConcurrency: number;
  /** Largest input file size a tool should accept, for tools that read files (default 100 MiB). */
  readonly maxFileSizeBytes: number;
  /** Largest serialised input (UTF-8 bytes of its JSON form) of any call, refused before validation (default 10 MiB; 0 = no limit). */
  readonly maxInputSize: number;
  /** Rules `@Sanitize()` runs when it names none, and which results are screened (default 'medium'; see SECURITY.md). */
  readonly securityLevel: SecurityLevel;
  /** Extensions a confined path may have when its field does not list its own (default: any). */
  readonly allowedFileExtensions?: readonly string[];
  /** Longest a cache store read may take before the call goes on as a miss (default 50 ms). */
  readonly cacheTimeoutMs: number;
  /**
   * Overrides how errors are classified for retry (`errorKind`): return a kind to decide, or
   * `undefined` to fall back to the built-in table.
   */
  readonly classifyError?: (error: unknown) => ErrorKind | undefined;
  /** Lowest level logged by the default logger (default 'warn'). */
  readonly logLevel: LogLevel;
  /** Per-operation overrides. */
  readonly operations: Readonly<Record<string, OperationConfig>>;
  /** Where logs go (default: console, filtered by `logLevel`). */
  readonly logger?: Logger;
  /** Cache backend (default: an in-memory LRU of `cacheSize` entries). */
  readonly cacheStore?: CacheStore;
  /**
   * Which store the runtime creates when no `cacheStore` is given (`CACHE_BACKEND`): `memory` (default, the
   * in-memory LRU) or `redis` (`@aiecs/cache-redis`, loaded when selected; a `ConfigurationError` if it is not
   * installed).
   */
  readonly cacheBackend: CacheBackend;
  /** Redis server of the `redis` backend (`CACHE_REDIS_URL`; default `redis://127.0.0.1:6379`). */
  readonly cacheRedisUrl?: string;
  /** Prefix of every key of the `redis` backend (`CACHE_PREFIX`; default `aiecs:`). */
  readonly cachePrefix?: string;
}

/** The stores the runtime can create from configuration. */
export type CacheBackend = 'memory' | 'redis';

/** Every `CacheBackend`. */
export const CACHE_BACKENDS: readonly CacheBackend[] = ['memory', 'redis'];

/** What a tool constructor accepts: any subset of `ToolConfig`. */
export type ToolConfigInput = Partial<ToolConfig>;

/** The defaults of the seed, in milliseconds. */
export const DEFAULT_TOOL_CONFIG: ToolConfig = Object.freeze({
  enableCache: true,
  cacheSize: 100,
  cacheTtlMs: 3_600_000,
  retryAttempts: 3,
  retryBackoffMs: 1000,
  timeoutMs: 30_000,
  enableSecurityChecks: true,
  logExecutionTime: false,
  maxWorkers: availableParallelism(),
  ioConcurrency: 10,
  maxFileSizeBytes: 100 * 1024 * 1024,
  maxInputSize: 10 * 1024 * 1024,
  securityLevel: 'medium',
  cacheTimeoutMs: 50,
  cacheBackend: 'memory',
  logLevel: 'warn',
  operations: Object.freeze({}),
});
