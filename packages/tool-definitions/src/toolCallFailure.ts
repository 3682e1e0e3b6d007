import type { ModelFailure } from './modelFailure';

/**
 * What the SDK adapters (AI SDK, LangChain.js) throw when a call fails: its message is the model-facing
 * text (the SDKs hand a tool's error message to the model), `failure` the same explanation as data.
 */
export class ToolCallFailure extends Error {
  override readonly name = 'ToolCallFailure';

  constructor(readonly failure: ModelFailure) {
    super(failure.text);
    // The stack would point into the adapter, and the model must never see one.
    this.stack = `${this.name}: ${failure.text}`;
  }
}
