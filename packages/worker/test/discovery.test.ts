// Finding the module a worker loads the tool from, and the errors that say what to pass when it cannot work.
import { ConfigurationError, RunInExecutor } from '@aiecs/core';
import { BaseTool, createApp } from '@aiecs/executor';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';
import { workerPool, type WorkerInvoker } from '../src';

jest.setTimeout(120_000);

// Defined at the top of this test file but not exported: a worker could not build it.
class InlineTool extends BaseTool {
  @RunInExecutor()
  async spin(): Promise<number> {
    return 1;
  }
}

// As if typed into a REPL: the decorator is applied from code that has no file.
const fromRepl = runInThisContext('(decorate) => decorate()', { filename: 'REPL42' }) as (
  decorate: typeof RunInExecutor,
) => ReturnType<typeof RunInExecutor>;
class ReplTool extends BaseTool {
  @fromRepl(RunInExecutor)
  async spin(): Promise<number> {
    return 1;
  }
}

const noTools = join(__dirname, 'fixtures', 'noTools.ts');

class MisplacedTool extends BaseTool {
  @RunInExecutor({ module: noTools })
  async spin(): Promise<number> {
    return 1;
  }
}

class MissingFileTool extends BaseTool {
  @RunInExecutor({ module: join(__dirname, 'fixtures', 'gone.ts') })
  async spin(): Promise<number> {
    return 1;
  }
}

async function failureOf(run: () => Promise<unknown>): Promise<ConfigurationError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  return error as ConfigurationError;
}

describe('module discovery', () => {
  it('records the file where @RunInExecutor is applied (here: this test file)', () => {
    const tool = new InlineTool({ logLevel: 'silent' });
    expect(tool.executor.describe('spin').plan.invoke?.runInExecutor).toEqual({ module: __filename });
  });

  it('takes an explicit module as a path or a file: URL (import.meta.url), and refuses anything else at decoration', () => {
    expect(RunInExecutor({ module: pathToFileURL(__filename).href })).toEqual(expect.any(Function));
    class UrlTool extends BaseTool {
      @RunInExecutor({ module: pathToFileURL(__filename).href })
      async spin(): Promise<number> {
        return 1;
      }
    }
    expect(new UrlTool({ logLevel: 'silent' }).executor.describe('spin').plan.invoke?.runInExecutor).toEqual({ module: __filename });
    expect(() => RunInExecutor({ module: 'tools/cpu.js' })).toThrow(
      /RunInExecutor\.module.*absolute path \(__filename\) or a file: URL \(import\.meta\.url\)/,
    );
    expect(() => RunInExecutor({ module: 'https://example.com/cpu.js' })).toThrow(ConfigurationError);
    expect(() => RunInExecutor({ modul: __filename } as never)).toThrow(/RunInExecutor\.modul.*unknown option/);
    expect(() => RunInExecutor({ pool: 3 } as never)).toThrow(/RunInExecutor\.pool/);
  });
});

describe('when the worker cannot find the tool, the operation is refused when it is planned', () => {
  const app = createApp({
    tools: [InlineTool, ReplTool, MisplacedTool, MissingFileTool].map((tool) => ({
      tool,
      config: { logLevel: 'silent' as const, retryAttempts: 1 },
    })),
    invoker: workerPool({ maxWorkers: 1 }),
  });
  afterAll(() => app.close());

  it('a class its module does not export (inline, test or bundle): says to export it or pass module', async () => {
    const error = await failureOf(() => app.run('inline.spin', {}));
    expect(error.option).toBe('inline.spin @RunInExecutor.module');
    expect(error.value).toBe(__filename);
    expect(error.message).toContain('InlineTool is not exported by that module');
    expect(error.message).toContain('@RunInExecutor({ module: __filename })');
    expect(error.message).toContain('@RunInExecutor({ module: import.meta.url })');
    // Refused when planned: no worker was started for it.
    expect((app.runtime.invoker as unknown as WorkerInvoker).threads).toBe(0);
  });

  it('a class defined where no file is known (a REPL): says what to pass', async () => {
    expect(new ReplTool({ logLevel: 'silent' }).executor.describe('spin').plan.invoke?.runInExecutor).toEqual({});
    const error = await failureOf(() => app.run('repl.spin', {}));
    expect(error.message).toContain('the module that defines ReplTool is unknown (defined in a REPL, eval or vm code?)');
    expect(error.message).toContain('import.meta.url');
  });

  it('an explicit module that does not exist', async () => {
    const error = await failureOf(() => app.run('missing-file.spin', {}));
    expect(error.message).toContain('no such file');
  });

  it('a module the main thread has not loaded (as for ESM) is checked by the worker, which says the class is missing', async () => {
    const error = await failureOf(() => app.run('misplaced.spin', {}));
    expect(error.value).toBe(noTools);
    expect(error.message).toContain('it does not export the tool class MisplacedTool');
  });
});
