import { ConfigurationError, RunInExecutor, type ToolContext } from '@aiecs/core';
import { availableParallelism } from 'node:os';
import { BaseTool } from '../BaseTool';
import { createApp } from '../app/App';
import type { Logger } from '../logging/Logger';
import { defaultInvoker, inProcessInvoker, type Invoker, type InvokerHost } from './Invoker';
import { ToolRuntime } from './ToolRuntime';

function recordingLogger(): Logger & { readonly warnings: string[] } {
  const warnings: string[] = [];
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (message: string) => void warnings.push(message),
    error: () => undefined,
    warnings,
  };
}

class CrunchTool extends BaseTool {
  @RunInExecutor()
  async crunch(input: { n: number }, ctx?: ToolContext): Promise<string> {
    return `${input.n} on attempt ${ctx?.attempt}`;
  }

  async plain(): Promise<string> {
    return 'plain';
  }
}

describe('ToolRuntime invoker', () => {
  it('uses an Invoker it is given as is and never closes it', async () => {
    const given: Invoker = { invoke: jest.fn(async () => 'given'), close: jest.fn() };
    const runtime = new ToolRuntime({ invoker: given });
    expect(runtime.invoker).toBe(given);
    await runtime.close();
    expect(given.close).not.toHaveBeenCalled();
  });

  it('calls a factory on first use only, with its maxWorkers and logger, and closes what it made', async () => {
    const made: Invoker = { invoke: jest.fn(async () => 'made'), close: jest.fn(async () => undefined) };
    const factory = jest.fn((_host: InvokerHost) => made);
    const logger = recordingLogger();
    const runtime = new ToolRuntime({ invoker: factory, config: { maxWorkers: 3 }, logger });
    expect(factory).not.toHaveBeenCalled();
    expect(runtime.invoker).toBe(made);
    expect(runtime.invoker).toBe(made);
    expect(factory).toHaveBeenCalledTimes(1);
    expect(factory.mock.calls[0]![0].config.maxWorkers).toBe(3);
    expect(factory.mock.calls[0]![0].logger).toBe(runtime.logger);
    await runtime.close();
    expect(made.close).toHaveBeenCalledTimes(1);
  });

  it('makes no invoker once closed (it would never be closed)', async () => {
    const factory = jest.fn(() => inProcessInvoker);
    const runtime = new ToolRuntime({ invoker: factory });
    await runtime.close();
    expect(() => runtime.invoker).toThrow(expect.objectContaining({ code: 'RUNTIME_CLOSED', kind: 'caller' }));
    expect(factory).not.toHaveBeenCalled();
  });

  it('refuses an invoker that is neither an Invoker nor a factory', () => {
    expect(() => new ToolRuntime({ invoker: { run: () => 1 } as unknown as Invoker })).toThrow(ConfigurationError);
  });

  it('defaults maxWorkers to the available parallelism', () => {
    expect(new ToolRuntime().config.maxWorkers).toBe(availableParallelism());
  });
});

describe('the default invoker', () => {
  it('runs in-process and warns, once per tool and operation, about @RunInExecutor without a worker invoker', async () => {
    const logger = recordingLogger();
    await using app = createApp({ tools: [CrunchTool], logger });
    await expect(app.run('crunch.crunch', { n: 2 })).resolves.toBe('2 on attempt 1');
    await expect(app.run('crunch.crunch', { n: 3 })).resolves.toBe('3 on attempt 1');
    await expect(app.run('crunch.plain', {})).resolves.toBe('plain');
    expect(logger.warnings).toEqual([expect.stringContaining('crunch.crunch is @RunInExecutor but runs on the calling thread')]);
    expect(logger.warnings[0]).toContain("workerPool from '@aiecs/worker'");
  });

  it('does not warn for an operation without @RunInExecutor', () => {
    const logger = recordingLogger();
    defaultInvoker(logger).prepare!({ tool: 't', operation: 'o', target: {} });
    expect(logger.warnings).toEqual([]);
  });
});

describe('an app with an invoker factory', () => {
  it("makes the invoker at the first call and closes it with the app's runtime", async () => {
    const close = jest.fn();
    const invoke = jest.fn((site, method, input, context) => inProcessInvoker.invoke(site, method, input, context));
    const factory = jest.fn((): Invoker => ({ invoke, close }));
    const app = createApp({ tools: [CrunchTool], invoker: factory });
    expect(factory).not.toHaveBeenCalled();
    await expect(app.run('crunch.crunch', { n: 1 })).resolves.toBe('1 on attempt 1');
    expect(factory).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith(
      expect.objectContaining({ tool: 'crunch', operation: 'crunch', runInExecutor: { module: __filename } }),
      expect.any(Function),
      { n: 1 },
      expect.anything(),
    );
    await app.close();
    expect(close).toHaveBeenCalledTimes(1);
  });
});
