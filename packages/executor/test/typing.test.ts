import { RunInExecutor, Sanitize, ValidateInput } from '@aiecs/core';
import { IsString } from '@aiecs/validation';
import { BaseTool } from '../src';
import { FileTool, quiet } from './fixtures';

class QueryInput {
  @IsString() q!: string;
}

class SecurityTool extends BaseTool {
  @ValidateInput(QueryInput) @Sanitize()
  async search(input: QueryInput) {
    return input.q;
  }

  @RunInExecutor()
  async crunch(input: { n: number }) {
    let sum = 0;
    for (let i = 0; i < input.n; i++) sum += i;
    return sum;
  }
}

describe('typed run()', () => {
  it('infers the result type from the method and checks names and inputs at compile time', async () => {
    const tool = new FileTool(quiet);
    const result: { content: string } = await tool.run('read', { path: 'a.txt' });
    expect(result.content).toBe('contents of a.txt');
    const doubled: number = await tool.run('plain', { n: 2 });
    expect(doubled).toBe(4);
    // The lines below are checked by `tsc` (npm test runs it first): each must be a type error.
    // @ts-expect-error unknown operation name
    await expect(tool.run('nope', {})).rejects.toThrow();
    // @ts-expect-error wrong input shape: path must be a string
    await expect(tool.run('read', { path: 1 })).rejects.toThrow();
    // @ts-expect-error private-by-convention methods are not operations
    await expect(tool.run('_secret', {})).rejects.toThrow();
    // @ts-expect-error BaseTool's own methods are not operations
    await expect(tool.run('close', {})).rejects.toThrow();
  });
});

describe('security switch', () => {
  it('enableSecurityChecks false turns @Sanitize off for the tool', async () => {
    const attack = "' OR 1=1 --";
    await expect(new SecurityTool(quiet).run('search', { q: attack })).rejects.toThrow(/security rule/);
    const unchecked = new SecurityTool({ ...quiet, enableSecurityChecks: false });
    await expect(unchecked.run('search', { q: attack })).resolves.toBe(attack);
    expect(unchecked.executor.describe('search').stages).not.toContain('sanitize');
  });
});

describe('@RunInExecutor (recorded only, for now)', () => {
  it('is recorded in the plan and the operation runs in-process, on the calling thread', async () => {
    const tool = new SecurityTool(quiet);
    expect(tool.executor.describe('crunch').plan.invoke?.runInExecutor).toEqual({});
    await expect(tool.run('crunch', { n: 10 })).resolves.toBe(45);
  });
});
