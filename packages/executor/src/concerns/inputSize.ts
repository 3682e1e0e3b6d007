import { checkNumber, SecurityError } from '@aiecs/core';
import { measureInput } from '../security/inputSize';
import { defineConcern } from './Concern';

/** The limit, in bytes of the serialised input. */
export interface InputSizePlan {
  readonly maxBytes: number;
}

/**
 * `maxInputSize` (`MAX_INPUT_SIZE`; per operation `operations.<op>.maxInputSize`): an input whose JSON form
 * would be larger is refused with a `SecurityError` (rule `maxInputSize`) before validation, sanitisation and
 * every policy. It is measured, not serialised (`measureInput`), and the walk stops at the limit. It sits after
 * `cacheLookup`: a hit's input is deep-equal to one that passed this check before (same size, same verdict),
 * so hits pay nothing. `0` turns it off.
 */
export const inputSize = defineConcern({
  name: 'inputSize',
  reads: [],
  configKeys: ['maxInputSize'],
  check: (configured, path) => {
    if (configured.maxInputSize !== undefined) checkNumber(`${path}.maxInputSize`, configured.maxInputSize, { integer: true });
  },
  plan: ({ configured, config }): InputSizePlan | undefined => {
    const maxBytes = configured.maxInputSize ?? config.maxInputSize;
    return maxBytes > 0 ? { maxBytes } : undefined;
  },
  create: ({ maxBytes }) => ({
    wrap: (next) => (call, input) => {
      let measured;
      try {
        measured = measureInput(input, maxBytes);
      } catch {
        // A getter or proxy that throws: validation (or the method) reports that value by its field.
        return next(call, input);
      }
      if (measured.field === undefined) return next(call, input);
      const reason = measured.tooDeep
        ? 'the input is nested too deeply to measure'
        : `the serialised input is larger than ${maxBytes} bytes`;
      return Promise.reject(new SecurityError(measured.field, 'maxInputSize', reason));
    },
  }),
});
