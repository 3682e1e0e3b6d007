import { SecurityError, type OutputAction } from '@aiecs/core';
import { eventBase } from '../events/eventBase';
import type { Call } from '../pipeline/Call';
import { screenResult, wrapFindings, type OutputVerdict } from '../security/screenOutput';
import { SECURITY_LEVEL_DEFAULTS } from '../security/securityLevel';
import { defineConcern, type PlanSources } from './Concern';

/** What the output screen does with a flagged result. */
export interface OutputScreenPlan {
  readonly action: OutputAction;
}

/** `@Sanitize({ output })`, else the security level's default (`openWorld` operations at `medium`). */
function outputPlan({ declared, config }: PlanSources): OutputScreenPlan | undefined {
  if (!config.enableSecurityChecks) return undefined;
  const output = declared.sanitize?.output;
  if (output === false) return undefined;
  if (output === true) return { action: 'report' };
  if (typeof output === 'object') return { action: output.action ?? 'report' };
  const screen = SECURITY_LEVEL_DEFAULTS[config.securityLevel].screenOutput;
  return screen === 'all' || (screen === 'openWorld' && declared.operation?.openWorld === true) ? { action: 'report' } : undefined;
}

/**
 * Screens an operation's result for instruction-like content (role tags, `<|im_start|>`, "ignore previous
 * instructions", …: `security/instructionRules.ts`), reports each flagged result as an `untrustedOutput`
 * event and, per its action, also refuses it (`SecurityError`, field `(output)…`, rule `promptInjection`) or
 * wraps the flagged strings as untrusted data. It sits outside `cacheLookup`, so a cached result gets the
 * verdict it got when it was computed: the same text, the same rules. Verdicts of object results are
 * remembered per object (a cache hit returns the same frozen object), so a hit is not screened again.
 */
export const outputScreen = defineConcern({
  name: 'outputScreen',
  reads: ['sanitize'],
  configKeys: [],
  plan: outputPlan,
  create: ({ action }, { events, site }) => {
    const verdicts = new WeakMap<object, OutputVerdict>();
    let lastText: string | undefined;
    let lastVerdict: OutputVerdict = [];
    const verdictOf = (result: unknown): OutputVerdict => {
      if (typeof result === 'string') {
        if (result !== lastText) {
          lastVerdict = screenResult(result);
          lastText = result;
        }
        return lastVerdict;
      }
      if (typeof result !== 'object' || result === null) return [];
      let verdict = verdicts.get(result);
      if (verdict === undefined) verdicts.set(result, (verdict = screenResult(result)));
      return verdict;
    };
    const source = `${site.tool}.${site.operation}`;
    /** What the caller gets for `result`: itself, its wrapped copy, or a thrown `SecurityError`. */
    const screened = (call: Call, result: unknown): unknown => {
      const verdict = verdictOf(result);
      if (verdict.length === 0) return result;
      const first = verdict[0]!;
      events.emit('untrustedOutput', {
        ...eventBase(call),
        field: first.field,
        check: first.check,
        reason: first.reason,
        count: verdict.length,
        action,
      });
      if (action === 'refuse') throw new SecurityError(first.field, 'promptInjection', first.reason);
      return action === 'wrap' ? wrapFindings(result, verdict, source) : result;
    };
    return {
      wrap: (next) => (call, input) => {
        const pending = next(call, input);
        if (!call.answered) return pending.then((result) => screened(call, result));
        // Answered at once (a cache hit): screened at once too (see Handler).
        try {
          const result = screened(call, call.answer);
          return result === call.answer ? pending : call.answerNow(result);
        } catch (error) {
          call.answered = false;
          return Promise.reject(error);
        }
      },
    };
  },
});
