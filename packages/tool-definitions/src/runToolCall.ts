import { InputValidationError, type CallOptions } from '@aiecs/core';
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
  let running: Promise<unknown>;
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
        return Promise.resolve(present(failed(invalid, face, undefined, faces)));
      }
    }
    if (prepare !== undefined && face !== undefined) args = prepare(args, face);
    // An unknown name still goes through the source, which answers with UnknownOperationError.
    running = faces.source.run(face?.operation.qualifiedName ?? name, args ?? {}, options);
  } catch (error) {
    return Promise.resolve(present(failed(error, face, args, faces)));
  }
  // Chained rather than awaited: on a cache hit this is most of what the adapter adds to a call.
  return running.then(
    (value) => present({ isError: false, value, text: resultText(value) }),
    (error: unknown) => present(failed(error, face, args, faces)),
  );
}

function asOutcome(outcome: ToolCallOutcome): ToolCallOutcome {
  return outcome;
}
