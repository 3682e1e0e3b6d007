import { ConfigurationError, Operation, Retry, ToolExecutionError, type ToolContext } from '@aiecs/core';
import { BaseTool, createApp, describeTool, type ToolConfigInput } from '../src';
import { quiet, settleWithTimers } from './fixtures';

// Fake clock: backoff waits run instantly through settleWithTimers (default retryBackoffMs: 1000).
beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

/** Every operation fails with a transient (retryable) error and records its attempts. */
class EffectsTool extends BaseTool {
  readonly attempts: Record<string, number[]> = {};

  protected fail(operation: string, ctx: ToolContext): never {
    (this.attempts[operation] ??= []).push(ctx.attempt);
    throw new Error(`${operation}: connection reset`);
  }

  @Operation({ destructive: true })
  async remove(_input: object, ctx: ToolContext): Promise<void> {
    this.fail('remove', ctx);
  }

  @Operation({ idempotent: false })
  async append(_input: object, ctx: ToolContext): Promise<void> {
    this.fail('append', ctx);
  }

  @Operation({ destructive: true })
  @Retry({ attempts: 3 })
  async removeWithRetry(_input: object, ctx: ToolContext): Promise<void> {
    this.fail('removeWithRetry', ctx);
  }

  @Retry({ attempts: 3 })
  @Operation({ idempotent: false })
  async appendWithRetry(_input: object, ctx: ToolContext): Promise<void> {
    this.fail('appendWithRetry', ctx);
  }

  /** Its own `@Retry` does not set attempts: it does not opt in. */
  @Operation({ destructive: true })
  @Retry({ jitter: false })
  async removeWithBackoffOnly(_input: object, ctx: ToolContext): Promise<void> {
    this.fail('removeWithBackoffOnly', ctx);
  }

  @Operation({ destructive: true, idempotent: true })
  async overwrite(_input: object, ctx: ToolContext): Promise<void> {
    this.fail('overwrite', ctx);
  }

  @Operation({ readOnly: true })
  async lookup(_input: object, ctx: ToolContext): Promise<void> {
    this.fail('lookup', ctx);
  }

  @Operation({ idempotent: true, destructive: false })
  async upsert(_input: object, ctx: ToolContext): Promise<void> {
    this.fail('upsert', ctx);
  }

  @Operation({ description: 'Declares nothing about its side effects' })
  async described(_input: object, ctx: ToolContext): Promise<void> {
    this.fail('described', ctx);
  }

  async plain(_input: object, ctx: ToolContext): Promise<void> {
    this.fail('plain', ctx);
  }
}

/** A class-wide `@Retry` is a default for the class, not an opt-in of its destructive operations. */
@Retry({ attempts: 3 })
class ClassRetryTool extends BaseTool {
  readonly attempts: Record<string, number> = {};

  @Operation({ destructive: true })
  async remove(_input: object): Promise<void> {
    this.attempts.remove = (this.attempts.remove ?? 0) + 1;
    throw new Error('remove: connection reset');
  }

  @Operation({ idempotent: false })
  async append(_input: object): Promise<void> {
    this.attempts.append = (this.attempts.append ?? 0) + 1;
    throw new Error('append: connection reset');
  }

  async plain(_input: object): Promise<void> {
    this.attempts.plain = (this.attempts.plain ?? 0) + 1;
    throw new Error('plain: connection reset');
  }
}

const defaults: ToolConfigInput = { ...quiet, retryAttempts: 3, timeoutMs: 0 };

/** Runs `operation` to its end on fake time; returns the attempt numbers it made and how it ended. */
async function attemptsOf(tool: EffectsTool, operation: string): Promise<{ attempts: number[]; result: PromiseSettledResult<unknown> }> {
  const result = await settleWithTimers(tool.executor.run(operation, {}));
  return { attempts: tool.attempts[operation] ?? [], result };
}

describe('side-effect declarations and retries', () => {
  it('a destructive operation is attempted once on a transient error, despite retryAttempts: 3', async () => {
    const tool = new EffectsTool(defaults);
    const { attempts, result } = await attemptsOf(tool, 'remove');
    expect(attempts).toEqual([1]);
    expect(result.status).toBe('rejected');
    const error = (result as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error).toMatchObject({ tool: 'effects', operation: 'remove', kind: 'transient' }); // retryable in kind, yet not retried
    expect(tool.executor.describe('remove').stages).not.toContain('retry');
    expect(tool.executor.getMetrics().retries).toBe(0);
  });

  it('a non-idempotent operation is attempted once', async () => {
    const tool = new EffectsTool(defaults);
    expect((await attemptsOf(tool, 'append')).attempts).toEqual([1]);
    expect(tool.executor.describe('append').stages).not.toContain('retry');
  });

  it('a destructive operation that is also declared idempotent is still attempted once', async () => {
    const tool = new EffectsTool(defaults);
    expect((await attemptsOf(tool, 'overwrite')).attempts).toEqual([1]);
  });

  it('its own @Retry({ attempts: 3 }) opts it in, whatever the decorator order', async () => {
    const tool = new EffectsTool({ ...defaults, retryAttempts: 1 }); // the tool-wide default does not matter
    expect((await attemptsOf(tool, 'removeWithRetry')).attempts).toEqual([1, 2, 3]);
    expect((await attemptsOf(tool, 'appendWithRetry')).attempts).toEqual([1, 2, 3]);
    expect(tool.executor.describe('removeWithRetry').plan.retry).toMatchObject({ attempts: 3 });
  });

  it('its own @Retry without attempts does not opt it in', async () => {
    const tool = new EffectsTool(defaults);
    expect((await attemptsOf(tool, 'removeWithBackoffOnly')).attempts).toEqual([1]);
  });

  it('a class-level @Retry({ attempts: 3 }) does not opt destructive or non-idempotent operations in', async () => {
    const tool = new ClassRetryTool(defaults);
    for (const operation of ['remove', 'append', 'plain'] as const) await settleWithTimers(tool.executor.run(operation, {}));
    expect(tool.attempts).toEqual({ remove: 1, append: 1, plain: 3 });
  });

  it('configuration operations.<op>.retry.attempts opts it in', async () => {
    const tool = new EffectsTool({
      ...defaults,
      operations: { remove: { retry: { attempts: 2 } }, append: { retry: { attempts: 3 } } },
    });
    expect((await attemptsOf(tool, 'remove')).attempts).toEqual([1, 2]);
    expect((await attemptsOf(tool, 'append')).attempts).toEqual([1, 2, 3]);
  });

  it('configuration can also opt an operation back out of its own @Retry', async () => {
    const tool = new EffectsTool({ ...defaults, operations: { removeWithRetry: { retry: { attempts: 1 } } } });
    expect((await attemptsOf(tool, 'removeWithRetry')).attempts).toEqual([1]);
  });

  it('configuration without attempts does not opt it in', async () => {
    const tool = new EffectsTool({ ...defaults, operations: { remove: { retry: { initialDelayMs: 5, jitter: false } } } });
    expect((await attemptsOf(tool, 'remove')).attempts).toEqual([1]);
  });

  it('the same rules hold for tools registered on an app (configuration given per entry)', async () => {
    const app = createApp({
      tools: [{ tool: EffectsTool, config: { operations: { append: { retry: { attempts: 2 } } } } }],
      config: { retryAttempts: 3, timeoutMs: 0 },
      ...quiet,
    });
    const tool = app.tool(EffectsTool);
    await settleWithTimers(app.run('effects.remove', {}));
    await settleWithTimers(app.run('effects.append', {}));
    await settleWithTimers(app.run('effects.plain', {}));
    expect(tool.attempts).toEqual({ remove: [1], append: [1, 2], plain: [1, 2, 3] });
    await app.close();
  });

  it.each(['plain', 'described', 'lookup', 'upsert'])(
    '%s (undeclared, read-only or idempotent) keeps the default of 3 attempts',
    async (operation) => {
      const tool = new EffectsTool(defaults);
      const { attempts, result } = await attemptsOf(tool, operation);
      expect(attempts).toEqual([1, 2, 3]);
      expect(result.status).toBe('rejected');
      expect(tool.executor.getMetrics().retries).toBe(2);
    },
  );

  it('the default follows retryAttempts for undeclared operations only', async () => {
    const tool = new EffectsTool({ ...defaults, retryAttempts: 5 });
    expect((await attemptsOf(tool, 'plain')).attempts).toEqual([1, 2, 3, 4, 5]);
    expect((await attemptsOf(tool, 'remove')).attempts).toEqual([1]);
  });

  it('the declarations are described as they were declared', () => {
    const byName = Object.fromEntries(describeTool(EffectsTool).operations.map((op) => [op.name, op.sideEffects]));
    expect(byName).toMatchObject({
      remove: { destructive: true },
      append: { idempotent: false },
      overwrite: { destructive: true, idempotent: true },
      lookup: { readOnly: true },
      upsert: { idempotent: true, destructive: false },
      described: {},
      plain: {},
    });
  });
});

describe('contradictory declarations', () => {
  it.each([
    { readOnly: true, destructive: true },
    { readOnly: true, idempotent: false },
  ])('@Operation(%p) is a ConfigurationError at decoration', (options) => {
    expect(() => Operation(options)).toThrow(ConfigurationError);
    expect(() => {
      class Contradictory extends BaseTool {
        @Operation(options)
        async op(_input: object): Promise<void> {}
      }
      return Contradictory;
    }).toThrow(expect.objectContaining({ name: expect.any(String), option: 'Operation.readOnly' }));
  });

  it('a non-boolean side-effect flag is a ConfigurationError naming it', () => {
    expect(() => Operation({ destructive: 'yes' as never })).toThrow(expect.objectContaining({ option: 'Operation.destructive' }));
  });
});
