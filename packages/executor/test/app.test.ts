import {
  Bulkhead,
  CacheResult,
  CircuitBreaker,
  ConfigurationError,
  InputValidationError,
  Operation,
  PIPELINE_CONTEXT,
  Retry,
  Tool,
  ToolExecutionError,
  UnknownOperationError,
  ValidateInput,
  type ToolContext,
} from '@aiecs/core';
import { IsString } from '@aiecs/validation';
import {
  App,
  BaseTool,
  createApp,
  describeTool,
  MemoryCacheStore,
  toolKeyPrefix,
  type CacheStore,
  type Invoker,
  type InvokeSite,
} from '../src';
import { quiet, recordingLogger } from './fixtures';

// ---------------------------------------------------------------------------------------------
// Fixtures shared by this file
// ---------------------------------------------------------------------------------------------

class PathInput {
  @IsString() path!: string;
}

/** Default name `file`; a cached, validated, read-only operation and an undecorated one. */
@Tool({ description: 'Reads files' })
class FileTool extends BaseTool {
  reads = 0;

  @Operation({ description: 'Reads a file', readOnly: true })
  @ValidateInput(PathInput)
  @CacheResult()
  async read(input: PathInput, ctx = PIPELINE_CONTEXT): Promise<string> {
    this.reads++;
    return `file:${input.path}:${ctx.userId}`;
  }

  async size(input: { path: string }): Promise<number> {
    return input.path.length;
  }
}

/** Default name `http-fetch`; same operation name and input shape as FileTool, so cache keys could collide. */
class HttpFetchTool extends BaseTool {
  reads = 0;

  @ValidateInput(PathInput)
  @CacheResult()
  async read(input: PathInput): Promise<string> {
    this.reads++;
    return `http:${input.path}`;
  }
}

/** Named by `@Tool`, over the default `notes-store`. */
@Tool({ name: 'notes', description: 'Keeps notes' })
class NotesStoreTool extends BaseTool {
  reads = 0;

  @ValidateInput(PathInput)
  @CacheResult()
  async read(input: PathInput): Promise<string> {
    this.reads++;
    return `note:${input.path}`;
  }
}

/** A subclass of a `@Tool`-named class: it must not inherit the name. */
class ArchivedNotesTool extends NotesStoreTool {}

/** A decorated subclass of a `@Tool`-named class (its metadata object is its own copy). */
class TaggedNotesTool extends NotesStoreTool {
  @Operation({ description: 'Tags a note', idempotent: true })
  async tag(input: { path: string }): Promise<string> {
    return `tagged:${input.path}`;
  }
}

/** `@Tool({ name })` wins over a legacy static `toolName`. */
@Tool({ name: 'decorated-name' })
class LegacyNamedTool extends BaseTool {
  static override toolName = 'legacy-name';
  async op(_input: object): Promise<number> {
    return 1;
  }
}

/** Fails every call: its circuit opens after one failure. */
class BreakerTool extends BaseTool {
  @CircuitBreaker({ threshold: 1, halfOpenAfterMs: 60_000 })
  async flaky(_input: object): Promise<never> {
    throw new Error('backend down');
  }
}

/** Fails its first `failuresLeft` attempts, then answers with the attempt number. */
class FlakyTool extends BaseTool {
  failuresLeft = 0;

  @ValidateInput(PathInput)
  @Retry({ attempts: 3, initialDelayMs: 1, jitter: false })
  async fetch(input: PathInput, ctx = PIPELINE_CONTEXT): Promise<string> {
    if (this.failuresLeft-- > 0) throw new Error(`transient failure on attempt ${ctx.attempt}`);
    return `${input.path}@${ctx.attempt}`;
  }
}

class NoSchemaTool extends BaseTool {
  @ValidateInput(PathInput)
  async withSchema(input: PathInput): Promise<string> {
    return input.path;
  }

  async withoutSchema(_input: object): Promise<number> {
    return 0;
  }
}

/** A class with a conventional `<Op>Schema` satisfies `requireSchemas`. */
class ConventionalSchemaTool extends BaseTool {
  static LookupSchema = PathInput;
  async lookup(input: PathInput): Promise<string> {
    return input.path;
  }
}

class EmptyTool extends BaseTool {}

class ConfigurableTool extends BaseTool {
  async op(_input: object): Promise<string> {
    return 'ok';
  }
  async other(_input: object): Promise<string> {
    return 'ok';
  }
}

class ExplodingTool extends BaseTool {
  constructor() {
    super();
    throw new Error('must not be constructed to be described');
  }

  @Operation({ description: 'Never runs', destructive: true })
  async wipe(_input: object): Promise<void> {}
}

class DestructiveCachedTool extends BaseTool {
  @Operation({ destructive: true })
  @CacheResult()
  async purge(_input: object): Promise<number> {
    return 1;
  }
}

/** Decorators in the other textual order: the refusal must not depend on it. */
class CachedDestructiveTool extends BaseTool {
  @CacheResult()
  @Operation({ destructive: true })
  async purge(_input: object): Promise<number> {
    return 1;
  }
}

/** A cache store whose writes fail. */
function brokenStore(): CacheStore {
  return {
    get: () => undefined,
    set: () => {
      throw new Error('store is read-only');
    },
    delete: () => undefined,
    clear: () => undefined,
    close: () => undefined,
  };
}

/** A MemoryCacheStore with spies on every method. */
function spiedStore() {
  const store = new MemoryCacheStore({ maxSize: 100 });
  return {
    store,
    get: jest.spyOn(store, 'get'),
    set: jest.spyOn(store, 'set'),
    clear: jest.spyOn(store, 'clear'),
    close: jest.spyOn(store, 'close'),
  };
}

const logger = quiet.logger;

/** Apps made by a test, closed after it (a test that closes its own app does no harm: close is idempotent). */
const opened: App[] = [];
function app(options: Parameters<typeof createApp>[0]): App {
  const made = createApp({ logger, ...options });
  opened.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((a) => a.close()));
});

function configurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError, nothing was thrown');
}

// ---------------------------------------------------------------------------------------------

describe('registration and descriptors', () => {
  it('registers a class, a class with its config and a ready instance', () => {
    const notes = new NotesStoreTool(quiet);
    const a = app({ tools: [FileTool, { tool: HttpFetchTool, config: { timeoutMs: 7_000 } }, notes], config: { timeoutMs: 5_000 } });

    expect(a.tools().map((t) => t.name)).toEqual(['file', 'http-fetch', 'notes']);
    expect(a.tools().map((t) => t.toolClass)).toEqual([FileTool, HttpFetchTool, NotesStoreTool]);
    expect(a.tool(FileTool)).toBeInstanceOf(FileTool);
    expect(a.tool(HttpFetchTool)).toBeInstanceOf(HttpFetchTool);
    expect(a.tool(NotesStoreTool)).toBe(notes);
    // The shared config reaches class entries; an entry's own config wins over it.
    expect(a.tool(FileTool).executor.config.timeoutMs).toBe(5_000);
    expect(a.tool(HttpFetchTool).executor.config.timeoutMs).toBe(7_000);
  });

  it('describes tools and operations from their metadata', () => {
    const a = app({ tools: [FileTool, HttpFetchTool] });
    const [file, http] = a.tools();
    expect(file).toMatchObject({ name: 'file', description: 'Reads files', toolClass: FileTool });
    expect(http).toMatchObject({ name: 'http-fetch', description: undefined, toolClass: HttpFetchTool });

    expect(a.operations().map((op) => op.qualifiedName)).toEqual(['file.read', 'file.size', 'http-fetch.read']);
    expect(a.describe('file.read')).toEqual({
      tool: 'file',
      name: 'read',
      qualifiedName: 'file.read',
      description: 'Reads a file',
      sideEffects: { readOnly: true },
      inputSchema: PathInput,
      cached: true,
    });
    expect(a.describe('file.size')).toEqual({
      tool: 'file',
      name: 'size',
      qualifiedName: 'file.size',
      description: undefined,
      sideEffects: {},
      inputSchema: undefined,
      cached: false,
    });
    expect(a.describe('http-fetch.read')).toMatchObject({ inputSchema: PathInput, cached: true, sideEffects: {} });
    expect(a.operations()).toContain(a.describe('file.read'));
  });

  it('names tools: kebab-case without Tool, @Tool({ name }) wins, subclasses do not inherit the name', () => {
    expect(describeTool(FileTool).name).toBe('file');
    expect(describeTool(HttpFetchTool).name).toBe('http-fetch');
    expect(describeTool(NotesStoreTool).name).toBe('notes');
    expect(describeTool(ArchivedNotesTool).name).toBe('archived-notes');
    expect(describeTool(TaggedNotesTool).name).toBe('tagged-notes');
    expect(describeTool(LegacyNamedTool).name).toBe('decorated-name');
    // A subclass keeps the parent's operations, but not its description.
    expect(describeTool(ArchivedNotesTool).operations.map((op) => op.qualifiedName)).toEqual(['archived-notes.read']);
    expect(describeTool(ArchivedNotesTool).description).toBeUndefined();
    expect(
      describeTool(TaggedNotesTool)
        .operations.map((op) => op.name)
        .sort(),
    ).toEqual(['read', 'tag']);

    // Parent and subclasses register side by side under their own names.
    const a = app({ tools: [NotesStoreTool, ArchivedNotesTool, TaggedNotesTool] });
    expect(a.tools().map((t) => t.name)).toEqual(['notes', 'archived-notes', 'tagged-notes']);
    expect(a.tool('archived-notes')).toBeInstanceOf(ArchivedNotesTool);
  });

  it('describeTool works without constructing the class, and returns the same object twice', () => {
    expect(() => new ExplodingTool()).toThrow('must not be constructed');
    const descriptor = describeTool(ExplodingTool);
    expect(descriptor).toMatchObject({ name: 'exploding', toolClass: ExplodingTool });
    expect(descriptor.operations).toEqual([
      expect.objectContaining({
        qualifiedName: 'exploding.wipe',
        description: 'Never runs',
        sideEffects: { destructive: true },
        cached: false,
      }),
    ]);
    expect(describeTool(ExplodingTool)).toBe(descriptor);
    expect(Object.isFrozen(descriptor)).toBe(true);
  });
});

describe('running by qualified name', () => {
  it('runs through the pipeline with the caller context', async () => {
    const a = app({ tools: [FileTool] });
    await expect(a.run('file.read', { path: 'a.txt' }, { userId: 'u1' })).resolves.toBe('file:a.txt:u1');
    await expect(a.run('file.read', { path: 'a.txt' }, { userId: 'u1' })).resolves.toBe('file:a.txt:u1');
    expect(a.tool(FileTool).reads).toBe(1); // the second call was a cache hit
    await expect(a.run('file.size', { path: 'abc' })).resolves.toBe(3);
  });

  it('rejects invalid input with InputValidationError', async () => {
    const a = app({ tools: [FileTool] });
    await expect(a.run('file.read', { path: 42 })).rejects.toBeInstanceOf(InputValidationError);
    await expect(a.run('file.read', { path: 'a', extra: true })).rejects.toBeInstanceOf(InputValidationError);
    expect(a.tool(FileTool).reads).toBe(0);
  });

  it('rejects unknown tools and operations with UnknownOperationError, never throwing synchronously', async () => {
    const a = app({ tools: [FileTool] });
    const names: unknown[] = ['nope.read', 'file.nope', 'file', '', 'file._secret', 42, undefined];
    for (const name of names) {
      let pending: Promise<unknown> | undefined;
      expect(() => (pending = a.run(name as string, {}))).not.toThrow();
      await expect(pending).rejects.toBeInstanceOf(UnknownOperationError);
    }
    await expect(a.run('nope.read', {})).rejects.toMatchObject({
      tool: 'nope',
      operation: 'read',
      kind: 'caller',
      message: expect.stringMatching(/no such tool/),
    });
    await expect(a.run('file.nope', {})).rejects.toMatchObject({
      tool: 'file',
      operation: 'nope',
      message: expect.stringMatching(/known: read, size/),
    });
  });

  it('describe() throws UnknownOperationError for unknown names', () => {
    const a = app({ tools: [FileTool] });
    expect(() => a.describe('nope.x')).toThrow(UnknownOperationError);
    expect(() => a.describe('file.x')).toThrow(UnknownOperationError);
    expect(a.describe('file.read').qualifiedName).toBe('file.read');
  });

  it('tool() returns the registered instance, whose run() goes through the pipeline', async () => {
    const a = app({ tools: [FileTool, HttpFetchTool] });
    const file = a.tool(FileTool);
    expect(a.tool('file')).toBe(file);
    await expect(file.run('read', { path: 'b' }, { userId: 'u2' })).resolves.toBe('file:b:u2');
    await expect(file.read({ path: 'b' }, { userId: 'u2' } as ToolContext)).resolves.toBe('file:b:u2');
    expect(file.reads).toBe(1); // run() and the direct call share the pipeline (and its cache)
    await expect(file.run('read', { path: 3 } as never)).rejects.toBeInstanceOf(InputValidationError);
    expect(() => a.tool('nope')).toThrow(UnknownOperationError);
    expect(() => a.tool(NotesStoreTool)).toThrow(UnknownOperationError);
  });
});

describe('registration errors', () => {
  it('refuses two tools with one name', () => {
    @Tool({ name: 'dup' })
    class FirstTool extends BaseTool {
      async op(_input: object) {}
    }
    @Tool({ name: 'dup' })
    class SecondTool extends BaseTool {
      async op(_input: object) {}
    }
    const error = configurationError(() => createApp({ tools: [FirstTool, SecondTool], logger }));
    expect(error.message).toMatch(/two tools are named 'dup'/);
    expect(error.message).toMatch(/FirstTool and SecondTool/);
    expect(configurationError(() => createApp({ tools: [FileTool, FileTool], logger })).message).toMatch(/named 'file'/);
  });

  it('refuses a class with no operations', () => {
    const error = configurationError(() => createApp({ tools: [FileTool, EmptyTool], logger }));
    expect(error.option).toBe('tools.empty');
    expect(error.message).toMatch(/no operations/);
  });

  it('requireSchemas refuses an operation without an input schema', () => {
    const error = configurationError(() => createApp({ tools: [NoSchemaTool], requireSchemas: true, logger }));
    expect(error.option).toBe('no-schema.withoutSchema');
    expect(error.message).toMatch(/no input schema/);
    // Without the option, or with every schema present, registration succeeds.
    expect(() => app({ tools: [NoSchemaTool] })).not.toThrow();
    expect(() => app({ tools: [ConventionalSchemaTool, HttpFetchTool], requireSchemas: true })).not.toThrow();
    expect(app({ tools: [ConventionalSchemaTool] }).describe('conventional-schema.lookup').inputSchema).toBe(PathInput);
  });

  it('refuses configuration naming no operation (in createApp and standalone)', () => {
    const inApp = configurationError(() =>
      createApp({ tools: [{ tool: ConfigurableTool, config: { operations: { quoet: {} } } }], logger }),
    );
    expect(inApp.option).toBe('operations.quoet');
    expect(inApp.message).toMatch(/no operation 'quoet'/);
    expect(inApp.message).toMatch(/op, other/);
    const standalone = configurationError(() => new ConfigurableTool({ ...quiet, operations: { quoet: {} } }));
    expect(standalone.option).toBe('operations.quoet');
    // The app-wide config is checked against each class tool too.
    expect(configurationError(() => createApp({ tools: [ConfigurableTool], config: { operations: { quoet: {} } }, logger })).option).toBe(
      'operations.quoet',
    );
  });

  it('refuses an unknown key in an operations entry', () => {
    const error = configurationError(() =>
      createApp({ tools: [{ tool: ConfigurableTool, config: { operations: { op: { retyr: {} } as never } } }], logger }),
    );
    expect(error.option).toBe('operations.op.retyr');
    expect(error.message).toMatch(/unknown setting/);
    expect(configurationError(() => new ConfigurableTool({ ...quiet, operations: { op: { retyr: {} } as never } })).option).toBe(
      'operations.op.retyr',
    );
  });

  it.each([Infinity, 0, -1, 1.5, Number.NaN])('refuses operations.op.retry.attempts = %p at construction', (attempts) => {
    const config = { operations: { op: { retry: { attempts } } } };
    expect(configurationError(() => createApp({ tools: [{ tool: ConfigurableTool, config }], logger })).option).toBe(
      'operations.op.retry.attempts',
    );
    expect(configurationError(() => new ConfigurableTool({ ...quiet, ...config })).option).toBe('operations.op.retry.attempts');
  });

  it('refuses operations.op.bulkhead.limit = -3 at construction', () => {
    const config = { operations: { op: { bulkhead: { limit: -3 } } } };
    const error = configurationError(() => createApp({ tools: [{ tool: ConfigurableTool, config }], logger }));
    expect(error.option).toBe('operations.op.bulkhead.limit');
    expect(error.value).toBe(-3);
    expect(configurationError(() => new ConfigurableTool({ ...quiet, ...config })).option).toBe('operations.op.bulkhead.limit');
  });

  it('refuses @CacheResult on a destructive operation, at registration and in describeTool', () => {
    const cases = [
      [DestructiveCachedTool, 'destructive-cached'],
      [CachedDestructiveTool, 'cached-destructive'],
    ] as const;
    for (const [toolClass, name] of cases) {
      expect(configurationError(() => describeTool(toolClass)).option).toBe(`${name}.purge`);
      expect(configurationError(() => createApp({ tools: [toolClass], logger })).message).toMatch(/destructive operation cannot cache/);
      expect(configurationError(() => new toolClass(quiet)).option).toBe(`${name}.purge`);
    }
  });

  it('refuses entries that are not tools', () => {
    expect(configurationError(() => createApp({ tools: [42 as never], logger })).option).toBe('tools.0');
    expect(configurationError(() => createApp({ tools: 'FileTool' as never, logger })).option).toBe('tools');
  });
});

describe('shared runtime and cache', () => {
  it('tools share one runtime and one cache store, without colliding on equal inputs', async () => {
    const { store, set } = spiedStore();
    const a = app({ tools: [FileTool, HttpFetchTool], cacheStore: store });
    expect(a.runtime.cache).toBe(store);
    expect(a.tool(FileTool).executor.runtime === a.runtime).toBe(true); // same runtime object
    expect(a.tool(HttpFetchTool).executor.runtime === a.runtime).toBe(true); // same runtime object
    expect(a.tool(FileTool).executor.cache).toBe(store);

    await expect(a.run('file.read', { path: 'same' })).resolves.toBe('file:same:anonymous');
    await expect(a.run('http-fetch.read', { path: 'same' })).resolves.toBe('http:same');
    await expect(a.run('file.read', { path: 'same' })).resolves.toBe('file:same:anonymous');
    await expect(a.run('http-fetch.read', { path: 'same' })).resolves.toBe('http:same');
    expect(a.tool(FileTool).reads).toBe(1);
    expect(a.tool(HttpFetchTool).reads).toBe(1);
    expect(set).toHaveBeenCalledTimes(2);
    expect(store.size).toBe(2);
  });

  it('uses the default store on the runtime for every tool', async () => {
    const a = app({ tools: [FileTool, HttpFetchTool] });
    await a.run('file.read', { path: 'x' });
    await a.run('http-fetch.read', { path: 'x' });
    expect(a.tool(FileTool).executor.cache).toBe(a.runtime.cache);
    expect(a.tool(HttpFetchTool).executor.cache).toBe(a.runtime.cache);
    expect((a.runtime.cache as MemoryCacheStore).size).toBe(2);
  });

  it("clearCache() on one tool leaves the other tool's entries", async () => {
    const a = app({ tools: [FileTool, HttpFetchTool] });
    await a.run('file.read', { path: 'x' });
    await a.run('http-fetch.read', { path: 'x' });
    await a.tool(FileTool).executor.clearCache();

    await a.run('file.read', { path: 'x' });
    await a.run('http-fetch.read', { path: 'x' });
    expect(a.tool(FileTool).reads).toBe(2); // its entry was cleared
    expect(a.tool(HttpFetchTool).reads).toBe(1); // still cached
  });

  it('a tool whose name prefixes another tool name clears only its own entries', async () => {
    @Tool({ name: 'file-x' })
    class FileXTool extends BaseTool {
      reads = 0;
      @CacheResult() async read(input: { path: string }) {
        this.reads++;
        return `fx:${input.path}`;
      }
    }
    const a = app({ tools: [FileTool, FileXTool] });
    await a.run('file.read', { path: 'p' });
    await a.run('file-x.read', { path: 'p' });
    await a.tool(FileTool).executor.clearCache();
    await a.run('file-x.read', { path: 'p' });
    expect(a.tool(FileXTool).reads).toBe(1);
  });
});

describe('healthCheck()', () => {
  it('is healthy when every tool is', async () => {
    const a = app({ tools: [FileTool, HttpFetchTool] });
    const report = await a.healthCheck();
    expect(report.status).toBe('healthy');
    expect(Object.keys(report.tools)).toEqual(['file', 'http-fetch']);
    expect(report.tools.file).toMatchObject({ status: 'healthy', cache: 'ok' });
    expect(report.tools['http-fetch']).toMatchObject({ status: 'healthy', cache: 'ok' });
  });

  it("is degraded once one tool's circuit is open, and that tool's report names the circuit", async () => {
    const a = app({ tools: [FileTool, { tool: BreakerTool, config: { retryAttempts: 1 } }] });
    await expect(a.run('breaker.flaky', {})).rejects.toBeInstanceOf(ToolExecutionError);
    const report = await a.healthCheck();
    expect(report.status).toBe('degraded');
    expect(report.tools.breaker).toMatchObject({ status: 'degraded', circuits: { flaky: 'open' } });
    expect(report.tools.breaker!.error).toMatch(/flaky: open/);
    expect(report.tools.file).toMatchObject({ status: 'healthy' });
  });

  it('is unhealthy when the shared cache store fails', async () => {
    const a = app({ tools: [FileTool, { tool: BreakerTool, config: { retryAttempts: 1 } }], cacheStore: brokenStore() });
    await expect(a.run('breaker.flaky', {})).rejects.toBeInstanceOf(ToolExecutionError);
    const report = await a.healthCheck();
    expect(report.status).toBe('unhealthy'); // worse than the open circuit's `degraded`
    expect(report.tools.file).toMatchObject({ status: 'unhealthy', cache: 'failed' });
    expect(report.tools.file!.error).toMatch(/store is read-only/);
  });
});

describe('ownership and closing', () => {
  it('does not close a cacheStore passed to createApp', async () => {
    const { store, close } = spiedStore();
    const a = createApp({ tools: [FileTool], cacheStore: store, logger });
    await a.run('file.read', { path: 'a' });
    await a.close();
    expect(close).not.toHaveBeenCalled();
    expect(store.size).toBe(1); // not cleared either
  });

  it('does not close a tiny CacheStore object passed to createApp', async () => {
    const map = new Map<string, unknown>();
    const store: CacheStore = {
      get: (key) => map.get(key),
      set: (key, value) => void map.set(key, value),
      delete: (key) => void map.delete(key),
      clear: (prefix) => [...map.keys()].filter((k) => prefix === undefined || k.startsWith(prefix)).forEach((k) => map.delete(k)),
      close: jest.fn(),
    };
    const a = createApp({ tools: [FileTool, HttpFetchTool], cacheStore: store, logger });
    await a.run('file.read', { path: 'a' });
    await a.run('http-fetch.read', { path: 'a' });
    expect(map.size).toBe(2);
    await a.close();
    expect(store.close).not.toHaveBeenCalled();
  });

  it('closes the default store it created, once (close is idempotent)', async () => {
    const a = createApp({ tools: [FileTool], logger });
    await a.run('file.read', { path: 'a' });
    const close = jest.spyOn(a.runtime.cache, 'close');
    const first = a.close();
    expect(a.close()).toBe(first);
    await first;
    await a.close();
    expect(close).toHaveBeenCalledTimes(1);
    expect(a.runtime.closed).toBe(true);
  });

  it('a standalone tool does not close a cacheStore it was given, but closes its own default store', async () => {
    const { store, close } = spiedStore();
    const given = new FileTool({ ...quiet, cacheStore: store });
    await given.run('read', { path: 'a' });
    expect(given.executor.cache).toBe(store);
    await given.close();
    expect(close).not.toHaveBeenCalled();

    const own = new FileTool(quiet);
    await own.run('read', { path: 'a' });
    const ownClose = jest.spyOn(own.executor.cache, 'close');
    await own.close();
    await own.close();
    expect(ownClose).toHaveBeenCalledTimes(1);
  });

  it.each([{ enableCache: false }, { cacheSize: 0 }])(
    '%p on one tool disables its caching without touching the shared store',
    async (config) => {
      const { store, get, set } = spiedStore();
      const a = app({ tools: [{ tool: FileTool, config }, HttpFetchTool], cacheStore: store });
      await a.run('file.read', { path: 'a' });
      await a.run('file.read', { path: 'a' });
      expect(a.tool(FileTool).reads).toBe(2);
      expect(a.tool(FileTool).executor.describe('read').stages).not.toContain('cacheLookup');
      expect(get).not.toHaveBeenCalled();
      expect(set).not.toHaveBeenCalled();

      // The other tool still caches in the shared store, under its own keys only.
      await a.run('http-fetch.read', { path: 'a' });
      await a.run('http-fetch.read', { path: 'a' });
      expect(a.tool(HttpFetchTool).reads).toBe(1);
      const keys = [...get.mock.calls, ...set.mock.calls].map(([key]) => key);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((key) => key.startsWith(toolKeyPrefix('http-fetch')))).toBe(true);

      // Its health check does not probe the store either.
      const report = await a.healthCheck();
      expect(report.tools.file).toMatchObject({ status: 'healthy', cache: 'disabled' });
    },
  );

  it('await using closes the app: later calls reject with a ToolExecutionError saying closed', async () => {
    let escaped: App | undefined;
    let close: jest.SpyInstance | undefined;
    {
      await using a = createApp({ tools: [FileTool, HttpFetchTool], logger });
      escaped = a;
      await a.run('file.read', { path: 'a' });
      close = jest.spyOn(a.runtime.cache, 'close');
    }
    expect(close).toHaveBeenCalledTimes(1);
    expect(escaped.runtime.closed).toBe(true);
    const later = escaped.run('file.read', { path: 'b' });
    await expect(later).rejects.toBeInstanceOf(ToolExecutionError);
    await expect(later).rejects.toThrow(/closed/);
    await expect(escaped.tool(HttpFetchTool).run('read', { path: 'b' })).rejects.toThrow(/closed/);
    expect(escaped.tool(HttpFetchTool).reads).toBe(0);
  });

  it('await using closes a standalone tool', async () => {
    let escaped: FileTool | undefined;
    let close: jest.SpyInstance | undefined;
    {
      await using tool = new FileTool(quiet);
      escaped = tool;
      await tool.run('read', { path: 'a' });
      close = jest.spyOn(tool.executor.cache, 'close');
    }
    expect(close).toHaveBeenCalledTimes(1);
    await expect(escaped.run('read', { path: 'a' })).rejects.toThrow(ToolExecutionError);
    await expect(escaped.run('read', { path: 'a' })).rejects.toThrow(/closed/);
  });

  it('closing one tool of an app leaves the app runtime and the other tools running', async () => {
    const a = app({ tools: [FileTool, HttpFetchTool] });
    await a.run('file.read', { path: 'a' });
    const close = jest.spyOn(a.runtime.cache, 'close');
    await a.tool(FileTool).close();
    expect(close).not.toHaveBeenCalled();
    expect(a.runtime.closed).toBe(false);
    await expect(a.run('file.read', { path: 'a' })).rejects.toThrow(/closed/);
    await expect(a.run('http-fetch.read', { path: 'a' })).resolves.toBe('http:a');
  });
});

describe('ready instances and invokers', () => {
  it('adopts a ready instance that has not run yet: its cache entries land in the app store', async () => {
    const { store, set } = spiedStore();
    const notes = new NotesStoreTool(quiet);
    const a = app({ tools: [FileTool, notes], cacheStore: store });
    expect(notes.executor.runtime === a.runtime).toBe(true); // same runtime object
    await expect(a.run('notes.read', { path: 'n' })).resolves.toBe('note:n');
    await expect(notes.run('read', { path: 'n' })).resolves.toBe('note:n');
    expect(notes.reads).toBe(1);
    expect(set).toHaveBeenCalledTimes(1);
    expect(set.mock.calls[0]![0].startsWith(toolKeyPrefix('notes'))).toBe(true);
    expect(store.size).toBe(1);
  });

  it('a createApp that fails registration leaves its ready instances free to join another app', async () => {
    const notes = new NotesStoreTool(quiet);
    expect(() => createApp({ tools: [notes, { tool: ConfigurableTool, config: { operations: { quoet: {} } } }], logger })).toThrow(
      ConfigurationError,
    );
    // `notes` has never run: the next app must adopt it.
    const { store } = spiedStore();
    const seen: string[] = [];
    const a = app({ tools: [notes], cacheStore: store, listeners: [{ callEnded: (e) => void seen.push(e.tool) }] });
    await a.run('notes.read', { path: 'n' });
    expect(store.size).toBe(1); // its entry is in the app's store
    expect(seen).toEqual(['notes']); // the app's listeners see its calls
    expect(notes.executor.runtime === a.runtime).toBe(true); // same runtime object
  });

  it('inspecting a ready instance (executor.describe) before registering does not keep it off the app runtime', async () => {
    const notes = new NotesStoreTool(quiet);
    expect(notes.executor.describe('read').stages).toContain('cacheLookup'); // introspection, not a run
    const { store } = spiedStore();
    const a = app({ tools: [notes], cacheStore: store });
    await a.run('notes.read', { path: 'n' });
    expect(store.size).toBe(1); // its entry is in the app's store
    expect(notes.executor.runtime === a.runtime).toBe(true); // same runtime object
  });

  it('closes an adopted instance with the app', async () => {
    const notes = new NotesStoreTool(quiet);
    const a = createApp({ tools: [notes], logger });
    await a.run('notes.read', { path: 'n' });
    await a.close();
    await expect(notes.run('read', { path: 'n' })).rejects.toThrow(/closed/);
  });

  it('calls a custom invoker with (site, method, input, ctx) for every attempt, and never closes it', async () => {
    const seen: Array<{ site: InvokeSite; input: unknown; attempt: number; userId: string; taskId: string; operation: string }> = [];
    const invoker: Invoker = {
      invoke: jest.fn((site: InvokeSite, method, input, ctx: ToolContext) => {
        seen.push({ site, input, attempt: ctx.attempt, userId: ctx.userId, taskId: ctx.taskId, operation: ctx.operation });
        try {
          return Promise.resolve(method.call(site.target, input, ctx));
        } catch (error) {
          return Promise.reject(error);
        }
      }),
      close: jest.fn(),
    };
    const a = createApp({ tools: [FlakyTool, FileTool], invoker, logger });
    const flaky = a.tool(FlakyTool);
    flaky.failuresLeft = 2;

    await expect(a.run('flaky.fetch', { path: 'p' }, { userId: 'u1', taskId: 't1' })).resolves.toBe('p@3');
    expect(invoker.invoke).toHaveBeenCalledTimes(3);
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    for (const s of seen) {
      expect(s.site).toMatchObject({ tool: 'flaky', operation: 'fetch' });
      expect(s.site.target).toBe(flaky);
      expect(s.input).toBeInstanceOf(PathInput); // the validated input
      expect(s).toMatchObject({ userId: 'u1', taskId: 't1', operation: 'fetch' });
    }

    // Every tool's bodies go through it, cache hits never reach it.
    await a.run('file.read', { path: 'q' });
    await a.run('file.read', { path: 'q' });
    expect(invoker.invoke).toHaveBeenCalledTimes(4);
    expect(seen[3]!.site).toMatchObject({ tool: 'file', operation: 'read', target: a.tool(FileTool) });

    await a.close();
    expect(invoker.close).not.toHaveBeenCalled();
  });
});

describe('a bulkhead and a breaker per tool', () => {
  it('two tools of one app keep their own policies', async () => {
    class GateTool extends BaseTool {
      release: (() => void) | undefined;
      @Bulkhead({ limit: 1 })
      async hold(_input: object) {
        await new Promise<void>((resolve) => (this.release = resolve));
        return 'released';
      }
    }
    @Tool({ name: 'gate-two' })
    class GateTwoTool extends GateTool {}
    const a = app({ tools: [GateTool, GateTwoTool], config: { timeoutMs: 0 }, logger: recordingLogger() });
    const first = a.run('gate.hold', {});
    // The other tool's bulkhead is not the first one's: it admits a call.
    const second = a.run('gate-two.hold', {});
    await expect(a.run('gate.hold', {})).rejects.toMatchObject({ code: 'BULKHEAD_REJECTED' });
    await new Promise((resolve) => setImmediate(resolve));
    a.tool(GateTool).release!();
    a.tool(GateTwoTool).release!();
    await expect(first).resolves.toBe('released');
    await expect(second).resolves.toBe('released');
  });
});
