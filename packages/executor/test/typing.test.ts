import { Operation, PIPELINE_CONTEXT, RunInExecutor, Sanitize, ValidateInput, type ToolContext } from '@aiecs/core';
import { IsDate, IsInt, IsOptional, IsString, Type } from '@aiecs/validation';
import { BaseTool } from '../src';
import { FileTool, quiet } from './fixtures';

class QueryInput {
  @IsString() q!: string;
}

class SecurityTool extends BaseTool {
  @ValidateInput(QueryInput)
  @Sanitize()
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

describe('@RunInExecutor without a worker invoker', () => {
  it('is recorded in the plan (with the module that defines the tool) and the operation runs in-process, on the calling thread', async () => {
    const tool = new SecurityTool(quiet);
    expect(tool.executor.describe('crunch').plan.invoke?.runInExecutor).toEqual({ module: __filename });
    await expect(tool.run('crunch', { n: 10 })).resolves.toBe(45);
  });
});

class EventInput {
  @IsString() title!: string;
  @IsOptional() @IsInt() priority?: number;
  @Type(() => Date) @IsDate() at!: Date;
  /** A getter: never part of what callers send. */
  get label(): string {
    return `${this.title} @ ${this.at.toISOString()}`;
  }
  describe(): string {
    return this.label;
  }
}

class CalendarTool extends BaseTool {
  @ValidateInput(EventInput)
  async add(input: EventInput, ctx = PIPELINE_CONTEXT): Promise<{ label: string; user: string }> {
    return { label: input.label, user: ctx.userId };
  }

  @Operation({ readOnly: true })
  async ping(): Promise<'pong'> {
    return 'pong';
  }

  @Operation({ readOnly: true })
  async count(input: { n: number }, _ctx?: ToolContext): Promise<number> {
    return input.n;
  }
}

describe('what callers send (plain data) and what they get back', () => {
  it('a schema getter or method is not a required input; a Date field takes an ISO string; ctx is optional for direct calls', async () => {
    const tool = new CalendarTool(quiet);
    const added = await tool.run('add', { title: 'standup', at: '2026-12-01T09:00:00.000Z' }, { userId: 'u1' });
    expect(added).toEqual({ label: 'standup @ 2026-12-01T09:00:00.000Z', user: 'u1' });
    const direct: { label: string } = await tool.add({ title: 'retro', at: new Date(0) } as EventInput);
    expect(direct.label).toBe('retro @ 1970-01-01T00:00:00.000Z');
    // @ts-expect-error title is required
    await expect(tool.run('add', { at: '2026-12-01T09:00:00.000Z' })).rejects.toThrow(/title/);
    // @ts-expect-error priority must be a number
    await expect(tool.run('add', { title: 't', at: 0, priority: 'high' })).rejects.toThrow(/priority/);
  });

  it('an operation without input is called as run(name); results are typed', async () => {
    const tool = new CalendarTool(quiet);
    const pong: 'pong' = await tool.run('ping');
    expect(pong).toBe('pong');
    // @ts-expect-error count needs its input
    await tool.run('count').catch(() => undefined);
    // @ts-expect-error ping takes no input fields
    await tool.run('ping', { extra: 1 }).catch(() => undefined);
  });

  it("runBatch returns each item its operation's result type", async () => {
    const tool = new CalendarTool(quiet);
    const [pong, n] = await tool.runBatch([{ op: 'ping' }, { op: 'count', input: { n: 3 } }]);
    const typedPong: 'pong' = pong;
    const typedN: number = n;
    expect([typedPong, typedN]).toEqual(['pong', 3]);
    const [settled] = await tool.runBatch([{ op: 'count', input: { n: 4 } }], { settle: true });
    if (settled.status === 'fulfilled') {
      const value: number = settled.value;
      expect(value).toBe(4);
    } else throw new Error('expected a fulfilled item');
    // @ts-expect-error a string is not the result type of count
    const wrong: string = (await tool.runBatch([{ op: 'count', input: { n: 1 } }]))[0];
    expect(wrong).toBe(1);
  });

  it('PIPELINE_CONTEXT explains itself when a method is called outside the pipeline', () => {
    expect(() => PIPELINE_CONTEXT.userId).toThrow(/outside the pipeline/);
  });
});
