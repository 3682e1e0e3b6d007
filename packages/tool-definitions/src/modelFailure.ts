import {
  errorKind,
  isAiecsError,
  type BulkheadRejectedError,
  type ErrorKind,
  type InputValidationError,
  type SecurityError,
  type TimeoutError,
} from '@aiecs/core';
import type { OperationDescriptor, OperationPlan } from '@aiecs/executor';

/** One refused field, as a model can fix it. */
export interface FieldProblem {
  /** Dotted path from the input root (`items.2.name`); `''` for the input itself. */
  readonly path: string;
  /** What the schema expects there: the failed constraints' messages. */
  readonly expected: readonly string[];
  /** What was sent there (JSON, shortened), or `undefined` when the field was missing. */
  readonly received: string | undefined;
}

/** A failed call as a model should see it: what happened, whether to retry, and when. Never a stack trace. */
export interface ModelFailure {
  /** The error's code (`INPUT_VALIDATION`, `TIMEOUT`, …; `ERROR` for a non-aiecs error). */
  readonly code: string;
  /** `caller` (fix the call), `transient` (try again), `rejected` (try again later), `internal` (do not retry). */
  readonly kind: ErrorKind;
  /** The error's own message. */
  readonly message: string;
  /** Whether calling again (with the same input) can succeed. */
  readonly retryable: boolean;
  /** When to try again, in ms from now, when that is known (an open circuit, a full bulkhead). */
  readonly retryAfterMs?: number;
  /** For a timeout or failure of an operation that changes things: whether it may have taken effect anyway. */
  readonly mayHaveTakenEffect?: boolean;
  /** The refused fields of a validation failure. */
  readonly fields?: readonly FieldProblem[];
  /** The whole explanation as text, what the model reads. */
  readonly text: string;
}

const RECEIVED_MAX = 120;

/** The value at a dotted path of the input, shortened to JSON for the model; `undefined` when absent. */
function receivedAt(input: unknown, path: string): string | undefined {
  let value: unknown = input;
  for (const segment of path === '' ? [] : path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  if (value === undefined) return undefined;
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = `(${typeof value})`;
  }
  return json.length > RECEIVED_MAX ? `${json.slice(0, RECEIVED_MAX)}…` : json;
}

function fieldProblems(error: InputValidationError, input: unknown): FieldProblem[] {
  return error.errors.map((e) => ({ path: e.path, expected: Object.values(e.constraints), received: receivedAt(input, e.path) }));
}

function fieldLine(problem: FieldProblem): string {
  const received = problem.received === undefined ? 'nothing (missing)' : problem.received;
  return `- ${problem.path === '' ? '(input)' : problem.path}: expected ${problem.expected.join('; ')}; received ${received}`;
}

/** What a timeout or failure leaves behind, from the operation's side-effect declarations. */
function effectOf(op: OperationDescriptor): { mayHaveTakenEffect: boolean; advice: string } {
  const { readOnly, idempotent } = op.sideEffects;
  if (readOnly) return { mayHaveTakenEffect: false, advice: 'It is read-only, so nothing was changed.' };
  if (idempotent === true)
    return {
      mayHaveTakenEffect: true,
      advice: 'It may have taken effect, but it is idempotent: calling it again with the same input is safe.',
    };
  return {
    mayHaveTakenEffect: true,
    advice: 'It may still have taken effect (it is not declared idempotent): check whether it did before calling it again.',
  };
}

function timeoutOf(plan: OperationPlan | undefined): number | undefined {
  const ms = (plan?.deadline as { timeoutMs?: number } | undefined)?.timeoutMs;
  return typeof ms === 'number' && ms > 0 ? ms : undefined;
}

type Parts = Omit<ModelFailure, 'code' | 'kind' | 'message' | 'text'> & { readonly lines: readonly string[] };

function partsOf(error: unknown, op: OperationDescriptor | undefined, input: unknown, plan: OperationPlan | undefined): Parts {
  const name = op?.qualifiedName ?? 'the tool';
  // By code, not instanceof: the error may come from another copy of @aiecs/core (an ESM and a CJS one).
  const code = isAiecsError(error) ? error.code : undefined;
  if (code === 'INPUT_VALIDATION') {
    const invalid = error as InputValidationError;
    const fields = fieldProblems(invalid, input);
    return {
      retryable: false,
      fields,
      lines: [`The call to ${name} was refused: its input is invalid. Fix these fields and call again:`, ...fields.map(fieldLine)],
    };
  }
  if (code === 'SECURITY') {
    const { field, rule } = error as SecurityError;
    return {
      retryable: false,
      lines: [
        `The call to ${name} was refused: field '${field}' matched the security rule '${rule}'. Send a value without it; the same input will be refused again.`,
      ],
    };
  }
  if (code === 'UNKNOWN_OPERATION') return { retryable: false, lines: [`There is no such tool: ${(error as Error).message}.`] };
  if (code === 'ABORTED') return { retryable: true, lines: [`The call to ${name} was cancelled before it finished.`] };
  if (code === 'CIRCUIT_OPEN') {
    const retryAfterMs = (plan?.circuitBreaker as { halfOpenAfterMs?: number } | undefined)?.halfOpenAfterMs;
    const when = retryAfterMs === undefined ? 'later' : `in ${formatMs(retryAfterMs)} at the latest`;
    return {
      retryable: true,
      retryAfterMs,
      lines: [
        `${name} is temporarily unavailable: it failed repeatedly, so its circuit breaker is open and the call was not attempted. Try again ${when}.`,
      ],
    };
  }
  if (code === 'BULKHEAD_REJECTED') {
    const full = error as BulkheadRejectedError;
    const slotWithin = timeoutOf(plan);
    const bound = slotWithin === undefined ? '' : ` (a running call ends within ${formatMs(slotWithin)})`;
    return {
      retryable: true,
      retryAfterMs: slotWithin,
      lines: [
        `${name} is busy: ${count(full.limit, 'call')} running and ${full.queue} waiting, so the call was not attempted. Try again when a running call has finished${bound}.`,
      ],
    };
  }
  if (code === 'TIMEOUT') {
    const effect = op ? effectOf(op) : { mayHaveTakenEffect: true, advice: 'It may still have taken effect.' };
    return {
      retryable: true,
      mayHaveTakenEffect: effect.mayHaveTakenEffect,
      lines: [`${name} did not finish within ${formatMs((error as TimeoutError).timeoutMs)} and was stopped. ${effect.advice}`],
    };
  }
  const kind = errorKind(error);
  const cause = code === 'TOOL_EXECUTION' && (error as Error).cause !== undefined ? (error as Error).cause : error;
  const reason = describeCause(cause);
  const retry =
    kind === 'transient'
      ? 'It may succeed if called again.'
      : kind === 'caller'
        ? 'Change the input before calling again.'
        : 'Calling it again will not help.';
  const changes = op !== undefined && !op.sideEffects.readOnly;
  return {
    retryable: kind === 'transient',
    ...(changes ? { mayHaveTakenEffect: true } : {}),
    lines: [
      `${name} failed: ${reason}. ${retry}${changes && op.sideEffects.idempotent !== true ? ' It may have partly taken effect.' : ''}`,
    ],
  };
}

function describeCause(cause: unknown): string {
  try {
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return typeof code === 'string' && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
    }
    return String(cause);
  } catch {
    return 'an unreadable error';
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function formatMs(ms: number): string {
  return ms >= 1_000 ? `${Number((ms / 1_000).toFixed(1))} s` : `${ms} ms`;
}

/**
 * Turns a failed call into what a model can act on: which fields to fix (expected and received), whether
 * a timed-out operation may have taken effect, when an open circuit or a full bulkhead will take calls
 * again. The text never carries a stack trace.
 */
export function modelFailure(error: unknown, op?: OperationDescriptor, input?: unknown, plan?: OperationPlan): ModelFailure {
  const { lines, ...parts } = partsOf(error, op, input, plan);
  const code = isAiecsError(error) ? error.code : 'ERROR';
  let message: string;
  try {
    message = error instanceof Error ? error.message : String(error);
  } catch {
    message = 'an unreadable error';
  }
  const details = { code, kind: errorKind(error), ...parts };
  return Object.freeze({ ...details, message, text: `${lines.join('\n')}\n${JSON.stringify({ error: details })}` });
}
