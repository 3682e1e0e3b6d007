// Every row of the table, in table order.
import type { CaseDef } from '../harness';
import { directCases } from './direct';
import { langchainCases } from './langchain';
import { pieceCases } from './pieces';
import { pipelineCases } from './pipeline';
import { redisCases } from './redis';

export const ALL_CASES: readonly CaseDef[] = [...directCases, ...pipelineCases, ...pieceCases, ...langchainCases, ...redisCases];

export function findCase(name: string): CaseDef | undefined {
  return ALL_CASES.find((c) => c.name === name);
}
