// Row 1, the floor every ratio refers to: an awaited async method on a plain class.
import type { CaseDef } from '../harness';
import { EXPECTED, PlainTool, SAME_INPUT } from '../fixtures';

export const directCases: readonly CaseDef[] = [
  {
    name: 'direct',
    create: () => {
      const tool = new PlainTool();
      return { fn: () => tool.add(SAME_INPUT), expect: EXPECTED };
    },
  },
];
