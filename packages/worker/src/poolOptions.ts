import { checkNumber, ConfigurationError } from '@aiecs/core';
import type { Logger } from '@aiecs/executor';
import { availableParallelism } from 'node:os';

/** The name of the pool that runs the operations whose `@RunInExecutor` names none (also accepted as `pool: 'default'`). */
export const DEFAULT_POOL = 'default';

/** Per-worker memory limits (Node's `resourceLimits`); a worker that exceeds them fails its calls with `WorkerCrashedError`. */
export interface WorkerResourceLimits {
  readonly maxOldGenerationSizeMb?: number;
  readonly maxYoungGenerationSizeMb?: number;
  readonly stackSizeMb?: number;
}

/** How one pool runs its threads: the default pool's are `workerPool()`'s top-level options, a named pool's its `pools` entry. */
export interface PoolOptions {
  /** Most worker threads of the pool at once (default pool: the runtime's `maxWorkers`, else `os.availableParallelism()`; a named pool: the default pool's). */
  readonly maxWorkers?: number;
  /** An idle worker ends after this long (default 30 000 ms; a named pool: the default pool's); the next call starts one again. */
  readonly idleTimeoutMs?: number;
  /** Per-worker memory limits (a named pool: the default pool's unless it sets its own). */
  readonly resourceLimits?: WorkerResourceLimits;
  /** Node flags of the workers (default: the parent's, plus a TypeScript loader when a module to load is `.ts`; see README). */
  readonly execArgv?: readonly string[];
}

/** Options of `WorkerInvoker` (and of `workerPool()`): the default pool's, the named pools, and the logger. */
export interface WorkerPoolOptions extends PoolOptions {
  /**
   * Named pools, each with threads of its own, for `@RunInExecutor({ pool: '<name>' })`: a long body on one
   * pool never queues the calls of another. A pool starts on its first call; options it does not set are
   * the default pool's. `default` is the default pool's name and cannot be redefined here.
   */
  readonly pools?: Readonly<Record<string, PoolOptions>>;
  /** Where pool problems nobody awaits are logged (an error thrown by a worker between calls). */
  readonly logger?: Pick<Logger, 'warn'>;
}

/** A pool's options, checked and resolved. */
export interface PoolSettings {
  readonly name: string;
  readonly maxWorkers: number;
  readonly idleTimeoutMs: number;
  readonly resourceLimits?: WorkerResourceLimits;
  readonly execArgv?: readonly string[];
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const POOL_KEYS: readonly string[] = ['maxWorkers', 'idleTimeoutMs', 'resourceLimits', 'execArgv'];
const TOP_LEVEL_KEYS: readonly string[] = [...POOL_KEYS, 'pools', 'logger'];
const LIMIT_KEYS: readonly string[] = ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'stackSizeMb'];

/**
 * Checks `workerPool()`'s options and resolves every pool's settings, the default pool first (a named pool
 * inherits what it does not set). Unknown keys are refused, so a misspelt option fails where it is written.
 * @throws ConfigurationError naming the field (`workerPool.pools.heavy.maxWorkers`) and the reason.
 */
export function resolvePools(options: unknown): ReadonlyMap<string, PoolSettings> {
  const top = checkObject('workerPool', options, TOP_LEVEL_KEYS) as WorkerPoolOptions;
  if (top.logger !== undefined && typeof (top.logger as { warn?: unknown } | null)?.warn !== 'function')
    throw new ConfigurationError('workerPool.logger', top.logger, 'expected an object with a warn(message) method');
  const defaults = poolSettings('workerPool', DEFAULT_POOL, top, {
    maxWorkers: availableParallelism(),
    idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
  });
  const pools = new Map<string, PoolSettings>([[DEFAULT_POOL, defaults]]);
  if (top.pools === undefined) return pools;
  const named = checkObject('workerPool.pools', top.pools, undefined);
  for (const [name, entry] of Object.entries(named)) {
    const path = `workerPool.pools.${name}`;
    if (name === DEFAULT_POOL)
      throw new ConfigurationError(
        path,
        entry,
        `"${DEFAULT_POOL}" is the default pool: set its options at the top level, workerPool({ maxWorkers, … })`,
      );
    if (name.trim() === '') throw new ConfigurationError(path, entry, 'a pool name must not be empty');
    pools.set(name, poolSettings(path, name, checkObject(path, entry, POOL_KEYS) as PoolOptions, defaults));
  }
  return pools;
}

function poolSettings(path: string, name: string, options: PoolOptions, inherited: Omit<PoolSettings, 'name'>): PoolSettings {
  const maxWorkers = checkNumber(`${path}.maxWorkers`, options.maxWorkers ?? inherited.maxWorkers, { min: 1, integer: true });
  const idleTimeoutMs = checkNumber(`${path}.idleTimeoutMs`, options.idleTimeoutMs ?? inherited.idleTimeoutMs, { min: 0 });
  const resourceLimits =
    options.resourceLimits === undefined ? inherited.resourceLimits : checkLimits(`${path}.resourceLimits`, options.resourceLimits);
  const execArgv = options.execArgv === undefined ? inherited.execArgv : checkExecArgv(`${path}.execArgv`, options.execArgv);
  return {
    name,
    maxWorkers,
    idleTimeoutMs,
    ...(resourceLimits === undefined ? {} : { resourceLimits }),
    ...(execArgv === undefined ? {} : { execArgv }),
  };
}

/** A plain object whose keys are all in `known` (any key when `known` is undefined). */
function checkObject(path: string, value: unknown, known: readonly string[] | undefined): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ConfigurationError(
      path,
      value,
      known === undefined ? 'expected an object of named pools' : `expected { ${known.join('?, ')}? }`,
    );
  if (known !== undefined) {
    for (const key of Object.keys(value)) {
      if (!known.includes(key))
        throw new ConfigurationError(
          `${path}.${key}`,
          (value as Record<string, unknown>)[key],
          `unknown option; expected ${known.join(', ')}`,
        );
    }
  }
  return value as Record<string, unknown>;
}

function checkLimits(path: string, value: unknown): WorkerResourceLimits {
  const limits = checkObject(path, value, LIMIT_KEYS);
  for (const key of LIMIT_KEYS) {
    const limit = limits[key];
    if (limit === undefined) continue;
    checkNumber(`${path}.${key}`, limit, { min: 0 });
    if (limit === 0) throw new ConfigurationError(`${path}.${key}`, limit, 'must be more than 0 (leave it out for the default)');
  }
  return limits as WorkerResourceLimits;
}

function checkExecArgv(path: string, value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.some((arg) => typeof arg !== 'string'))
    throw new ConfigurationError(path, value, 'expected an array of strings');
  return value as readonly string[];
}
