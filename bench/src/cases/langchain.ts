// LangChain.js: a structured tool with an equivalent zod schema, on the same trivial body.
// Loaded on demand, so the processes measuring the other cases never load LangChain or zod.
import type { CaseDef } from '../harness';
import { add, EXPECTED, SAME_INPUT } from '../fixtures';

export const langchainCases: readonly CaseDef[] = [
  {
    name: 'langchain tool().invoke',
    create: async () => {
      const { tool } = await import('@langchain/core/tools');
      const { z } = await import('zod');
      const schema = z.object({ a: z.number(), b: z.string(), c: z.boolean().optional() });
      const addTool = tool(async (input: { a: number; b: string; c?: boolean }) => add(input), {
        name: 'add',
        description: 'Adds a to the length of b.',
        schema,
      });
      return { fn: () => addTool.invoke(SAME_INPUT), expect: EXPECTED };
    },
  },
];
