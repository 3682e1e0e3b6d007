import { attemptTimeout } from '../concerns/attemptTimeout';
import { bulkhead } from '../concerns/bulkhead';
import { cacheLookup } from '../concerns/cacheLookup';
import { cacheStore } from '../concerns/cacheStore';
import { circuitBreaker } from '../concerns/circuitBreaker';
import type { Concern, DeclarationKey } from '../concerns/Concern';
import { customPolicies } from '../concerns/customPolicies';
import { deadline } from '../concerns/deadline';
import { fallback } from '../concerns/fallback';
import { inputSize } from '../concerns/inputSize';
import { instrument } from '../concerns/instrument';
import { invoke } from '../concerns/invoke';
import { measure } from '../concerns/measure';
import { outputScreen } from '../concerns/outputScreen';
import { retry } from '../concerns/retry';
import { sanitize } from '../concerns/sanitize';
import { singleFlight } from '../concerns/singleFlight';
import { validate } from '../concerns/validate';
import type { OperationConfig } from '../config/ToolConfig';

/**
 * The concerns in their fixed order, outermost first, whatever the textual order of the decorators.
 * A cache hit returns at `cacheLookup` (its key is computed over the raw input, and an entry exists
 * only for an input that passed `validate` and `sanitize` before), so no policy runs on a hit.
 * Adding a concern: its decorator (in `@aiecs/core`), its definition (in `concerns/`), one line here.
 */
export const PIPELINE_ORDER = [
  instrument, // reports calls; maps errors for the caller
  outputScreen, // untrusted output: instruction-like content in results (cache hits included)
  cacheLookup, // @CacheResult: return a hit
  inputSize, // maxInputSize: refuse an oversized input before anything reads it
  validate, // @ValidateInput
  sanitize, // @Sanitize
  fallback, // @Fallback: a value instead of a failure (never cached)
  deadline, // overall deadline (timeoutMs, context.deadlineMs) and caller signal, retries included
  singleFlight, // concurrent identical misses share one execution
  cacheStore, // store a success
  bulkhead, // @Bulkhead
  circuitBreaker, // @CircuitBreaker
  retry, // @Retry (or the tool's retryAttempts)
  attemptTimeout, // @Timeout, per attempt
  customPolicies, // @UsePolicy
  measure, // @MeasureTime
  invoke, // the method body, through the runtime's invoker
] as const;

type AnyConcern = (typeof PIPELINE_ORDER)[number];

/** Name of a pipeline stage. */
export type StageName = AnyConcern['name'];

/** The plan of stage `S`. */
export type StagePlan<S extends StageName> = Extract<AnyConcern, { name: S }> extends Concern<S, infer P, any, any> ? P : never;

/** Names of the stages, in order. */
export const STAGE_NAMES: readonly StageName[] = PIPELINE_ORDER.map((concern) => concern.name);

// The type system refuses a concern left out of the order: every declaration a decorator records and
// every key of an `operations` configuration entry must be read by some concern listed above.
/** Declarations and configuration keys that no concern among `C` reads (`never` for a complete order). */
export type UnreadBy<C> =
  | Exclude<DeclarationKey, C extends Concern<any, any, infer R, any> ? R : never>
  | Exclude<keyof OperationConfig, C extends Concern<any, any, any, infer K> ? K : never>;
const everyDeclarationHasAConcern: [UnreadBy<AnyConcern>] extends [never] ? true : { missingConcernFor: UnreadBy<AnyConcern> } = true;
void everyDeclarationHasAConcern;
