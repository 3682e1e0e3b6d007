// Every row of the table, in table order.
import type { CaseDef } from '../harness';
import { directCases } from './direct';
import { handwrittenCases } from './handwritten';
import { langchainCases } from './langchain';
import { mcpCases } from './mcp';
import { observabilityCases } from './observability';
import { pieceCases } from './pieces';
import { pipelineCases } from './pipeline';
import { realisticCases } from './realistic';
import { redisCases } from './redis';
import { sanitizerCases } from './sanitizer';

export const ALL_CASES: readonly CaseDef[] = [
  ...directCases,
  ...pipelineCases,
  ...realisticCases,
  ...handwrittenCases,
  ...pieceCases,
  ...langchainCases,
  ...mcpCases,
  ...observabilityCases,
  ...redisCases,
  ...sanitizerCases,
];

export function findCase(name: string): CaseDef | undefined {
  return ALL_CASES.find((c) => c.name === name);
}
