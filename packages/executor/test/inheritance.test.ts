import { CacheResult, Retry, ValidateInput, type ToolContext } from '@aiecs/core';
import { IsString } from '@aiecs/validation';
import { InputValidationError } from '@aiecs/core';
import { BaseTool } from '../src';
import { quiet } from './fixtures';

class NameInput {
  @IsString() name!: string;
}

class ParentTool extends BaseTool {
  runs = 0;
  @ValidateInput(NameInput)
  async greet(input: NameInput, _ctx?: ToolContext) {
    this.runs++;
    return `hello ${input.name}`;
  }
}

class ChildTool extends ParentTool {
  // Extends the parent's operation: adds caching, keeps the parent's validation.
  @CacheResult()
  override async greet(input: NameInput, ctx?: ToolContext) {
    return `${await super.greet(input, ctx)}!`;
  }

  @Retry({ attempts: 1 })
  async shout(input: NameInput) {
    return input.name.toUpperCase();
  }
}

class UndecoratedOverride extends ParentTool {
  override async greet(input: NameInput) {
    return `hi ${input.name}`;
  }
}

describe('inheritance', () => {
  it('a subclass keeps its parent decorated operations and can extend them', async () => {
    const child = new ChildTool(quiet);
    await expect(child.greet({ name: 'ann' })).resolves.toBe('hello ann!');
    await expect(child.greet({ name: 'ann' })).resolves.toBe('hello ann!');
    expect(child.runs).toBe(1); // cached: added by the child
    await expect(child.greet({ name: 3 } as never)).rejects.toBeInstanceOf(InputValidationError); // kept from the parent
    await expect(child.run('shout', { name: 'bo' })).resolves.toBe('BO');
  });

  it('a super call inside an operation does not run the pipeline twice', async () => {
    const child = new ChildTool(quiet);
    await child.greet({ name: 'ann' });
    expect(child.executor.getMetrics().byOperation.greet.requests).toBe(1);
  });

  it('the parent is unchanged by what the subclass declares', async () => {
    const parent = new ParentTool(quiet);
    expect(parent.executor.describe('greet').stages).not.toContain('cacheLookup');
    expect(parent.executor.operations.has('shout')).toBe(false);
    await parent.greet({ name: 'x' });
    await parent.greet({ name: 'x' });
    expect(parent.runs).toBe(2);
  });

  it('an undecorated override of a decorated operation is still validated when called directly', async () => {
    const tool = new UndecoratedOverride(quiet);
    await expect(tool.greet({ name: 'z' })).resolves.toBe('hi z');
    await expect(tool.greet({ name: 1 } as never)).rejects.toBeInstanceOf(InputValidationError);
  });
});
