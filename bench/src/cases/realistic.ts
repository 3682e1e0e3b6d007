// The framework's full pipeline (validate, sanitize, cache, per-attempt timeout, retry) on the inputs users
// send: a hit and a miss row per input kind (see inputs.ts).
import type { CaseDef } from '../harness';
import { CALL_CONTEXT, PIPELINE_CONFIG } from '../fixtures';
import { INPUT_KINDS, pipelineToolFor, type InputKind } from '../inputs';
import { expectCounters } from './pipeline';

/** Row names: `<kind> hit` / `<kind> miss`. */
export const hitRow = (kind: InputKind): string => `${kind.name} hit`;
export const missRow = (kind: InputKind): string => `${kind.name} miss`;

function kindCases(kind: InputKind): CaseDef[] {
  const Tool = pipelineToolFor(kind);
  return [
    {
      name: hitRow(kind),
      create: async () => {
        const tool = new Tool(PIPELINE_CONFIG);
        const expected = kind.body(kind.same);
        await tool.run('call', kind.same, CALL_CONTEXT); // the only miss: every measured call hits
        return {
          fn: () => tool.run('call', kind.same, CALL_CONTEXT),
          expect: expected,
          verify: expectCounters(tool, { misses: 1 }, 'call'),
        };
      },
    },
    {
      name: missRow(kind),
      create: () => {
        const tool = new Tool(PIPELINE_CONFIG);
        const next = kind.fresh();
        const first = next();
        const expected = kind.body(first);
        let pending: Record<string, unknown> | undefined = first;
        const input = () => {
          const value = pending ?? next();
          pending = undefined;
          return value;
        };
        return { fn: () => tool.run('call', input(), CALL_CONTEXT), expect: expected, verify: expectCounters(tool, { hits: 0 }, 'call') };
      },
    },
  ];
}

export const realisticCases: readonly CaseDef[] = INPUT_KINDS.flatMap(kindCases);
