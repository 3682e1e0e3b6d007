import { InputValidationError, type CallOptions } from '@aiecs/core';
import { deferredCall, type CallControl, type PreparedCall } from '@aiecs/executor';
import { modelFailure, type ModelFailure } from './modelFailure';
import type { ToolFace, ToolFaces } from './toolFaces';

/** How a tool call went: its value and the text a model reads, or the failure explained. */
export type ToolCallOutcome =
  | { readonly isError: false; readonly value: unknown; readonly text: string }
  | { readonly isError: true; readonly failure: ModelFailure; readonly text: string };

/** A result as text for a model: strings as they are, anything else as JSON. */
export function resultText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function failed(error: unknown, face: ToolFace | undefined, input: unknown, faces: ToolFaces): ToolCallOutcome {
  let plan;
  try {
    plan = face === undefined ? undefined : faces.source.plan(face.operation);
  } catch {
    plan = undefined; // advice without the plan's figures
  }
  const failure = modelFailure(error, face?.operation, input, plan);
  return { isError: true, failure, text: failure.text };
}

/** What the arguments a model sent become before the pipeline sees them, or the failure that ends the call there. */
type ReadArguments = { readonly ok: true; readonly args: unknown } | { readonly ok: false; readonly outcome: ToolCallOutcome };

function readArguments(
  faces: ToolFaces,
  face: ToolFace | undefined,
  args: unknown,
  prepare: ((args: unknown, face: ToolFace) => unknown) | undefined,
): ReadArguments {
  try {
    if (typeof args === 'string') {
      // OpenAI sends the arguments as JSON text; an input is always an object, so a string is never one.
      try {
        args = args.trim() === '' ? {} : JSON.parse(args);
      } catch (error) {
        const invalid = new InputValidationError(
          [{ path: '', constraints: { isJson: `arguments must be a JSON object (${(error as Error).message})` } }],
          face?.operation.qualifiedName,
        );
        return { ok: false, outcome: failed(invalid, face, undefined, faces) };
      }
    }
    if (prepare !== undefined && face !== undefined) args = prepare(args, face);
    return { ok: true, args: args ?? {} };
  } catch (error) {
    return { ok: false, outcome: failed(error, face, args, faces) };
  }
}

/** The outcome of a call the pipeline is making, presented; chained rather than awaited (on a hit this is most of what an adapter adds). */
function presented<R>(
  running: Promise<unknown>,
  faces: ToolFaces,
  face: ToolFace | undefined,
  args: unknown,
  present: (outcome: ToolCallOutcome) => R,
): Promise<R> {
  return running.then(
    (value) => present({ isError: false, value, text: resultText(value) }),
    (error: unknown) => present(failed(error, face, args, faces)),
  );
}

/** The name the source runs: the face's operation, or the name as given (the source answers UnknownOperationError). */
function operationName(face: ToolFace | undefined, name: string): string {
  return face?.operation.qualifiedName ?? name;
}

/**
 * Runs the tool a model named, with the arguments it sent, through the full pipeline (cache,
 * validation, policies, metrics), and never rejects: a failure comes back as `isError: true` with text
 * a model can act on. `args` is an object, or the JSON text of one. `options` carries the caller's
 * identity, abort signal, progress listener and the model's `toolCallId`. `prepare` rewrites the parsed
 * arguments before the pipeline sees them (OpenAI's strict mode: a `null` for an optional field becomes
 * an absent one); it must not mutate them. `present` turns the outcome into what the adapter answers (an
 * MCP result), in the same reaction: a cache hit then costs the adapter one promise step, not two.
 */
export function runToolCall(
  faces: ToolFaces,
  name: string,
  args: unknown,
  options?: CallOptions,
  prepare?: (args: unknown, face: ToolFace) => unknown,
): Promise<ToolCallOutcome>;
export function runToolCall<R>(
  faces: ToolFaces,
  name: string,
  args: unknown,
  options: CallOptions | undefined,
  prepare: ((args: unknown, face: ToolFace) => unknown) | undefined,
  present: (outcome: ToolCallOutcome) => R,
): Promise<R>;
export function runToolCall(
  faces: ToolFaces,
  name: string,
  args: unknown,
  options: CallOptions = {},
  prepare?: (args: unknown, face: ToolFace) => unknown,
  present: (outcome: ToolCallOutcome) => unknown = asOutcome,
): Promise<unknown> {
  const face = faces.byName(name);
  const read = readArguments(faces, face, args, prepare);
  if (!read.ok) return Promise.resolve(present(read.outcome));
  let running: Promise<unknown>;
  try {
    running = faces.source.run(operationName(face, name), read.args, options);
  } catch (error) {
    return Promise.resolve(present(failed(error, face, read.args, faces)));
  }
  return presented(running, faces, face, read.args, present);
}

/** A tool call a model asked for, not made yet: answered from the cache now, or run later (see `PreparedCall`). */
export interface PreparedToolCall<R> {
  /** The presented answer when the call was answered from a synchronous cache now; `undefined` (nothing recorded) otherwise. */
  fromCache(): Promise<R> | undefined;
  /** Makes the call, with the transport's signal, deadline and progress listener; never rejects. */
  run(control?: CallControl): Promise<R>;
}

/** A tool call that ended before the pipeline (arguments that are not JSON, a source that threw): `run` answers `answer`. */
function endedCall<R>(answer: R): PreparedToolCall<R> {
  return { fromCache: () => undefined, run: () => Promise.resolve(answer) };
}

/**
 * `runToolCall`, split at the door: the caller (`options`' user and task) and the cache key are fixed
 * now, and the call is answered from the cache at once (`fromCache`) or made later (`run`). An MCP
 * server answers hits this way before the SDK handles the request. A source without `prepare` (a
 * hand-written `ToolSource`) is never answered from the cache; `run` makes its call with `source.run`.
 */
export function prepareToolCall<R>(
  faces: ToolFaces,
  name: string,
  args: unknown,
  options: CallOptions | undefined,
  present: (outcome: ToolCallOutcome) => R,
): PreparedToolCall<R> {
  const face = faces.byName(name);
  const read = readArguments(faces, face, args, undefined);
  if (!read.ok) return endedCall(present(read.outcome));
  const source = faces.source;
  const qualifiedName = operationName(face, name);
  let prepared: PreparedCall;
  try {
    prepared =
      source.prepare?.(qualifiedName, read.args, options) ??
      deferredCall((merged) => source.run(qualifiedName, read.args, merged), options);
  } catch (error) {
    return endedCall(present(failed(error, face, read.args, faces)));
  }
  return {
    fromCache: () => {
      const hit = prepared.fromCache();
      return hit === undefined ? undefined : presented(hit, faces, face, read.args, present);
    },
    run: (control) => {
      let running: Promise<unknown>;
      try {
        running = prepared.run(control);
      } catch (error) {
        return Promise.resolve(present(failed(error, face, read.args, faces)));
      }
      return presented(running, faces, face, read.args, present);
    },
  };
}

function asOutcome(outcome: ToolCallOutcome): ToolCallOutcome {
  return outcome;
}
