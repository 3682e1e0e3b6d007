import { CacheResult, PIPELINE_CONTEXT, Retry, Tool, ValidateInput } from '@aiecs/core';
import { IsString } from '@aiecs/validation';
import { Writable } from 'node:stream';
import pino from 'pino';
import { BaseTool, createApp, type App, type AppOptions } from '../index';

const SECRET_IN = 'sk-input-4d1f-NEVER-LOG';
const SECRET_OUT = 'sk-output-9c2e-NEVER-LOG';

class TokenInput {
  @IsString() token!: string;
}

@Tool({ name: 'vault' })
class VaultTool extends BaseTool {
  failures = 0;

  @ValidateInput(TokenInput)
  @CacheResult()
  async reveal(input: TokenInput): Promise<{ secret: string; length: number }> {
    return { secret: SECRET_OUT, length: input.token.length };
  }

  @Retry({ attempts: 2, backoff: 'constant', initialDelayMs: 1, jitter: false })
  async unstable(_input: TokenInput, ctx = PIPELINE_CONTEXT): Promise<number> {
    if (this.failures-- > 0) throw Object.assign(new Error('upstream reset'), { code: 'ECONNRESET' });
    return ctx.attempt;
  }
}

/** A real pino logger writing JSON lines into memory. */
function pinoInto(level: pino.LevelWithSilent) {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') raw.push(line);
      done();
    },
  });
  const logger = pino({ level }, stream);
  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, raw, lines, calls: () => lines().filter((l) => typeof l.msg === 'string' && (l.msg as string).startsWith('tool call')) };
}

const who = { userId: 'u-42', taskId: 't-9' };
const apps: App[] = [];
function makeApp(options: Omit<AppOptions, 'tools'>): App {
  const app = createApp({ tools: [VaultTool], ...options });
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** Sets environment variables for the duration of `body` (the runtime reads them when it is built). */
async function withEnv(env: Record<string, string>, body: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('call logging through the event bus, with a real pino', () => {
  it("logs one line per call in pino's (object, message) shape: tool, operation, user, task, attempt, duration, cache outcome", async () => {
    const log = pinoInto('debug');
    const app = makeApp({ logger: log.logger });
    await app.run('vault.reveal', { token: SECRET_IN }, who);
    await app.run('vault.reveal', { token: SECRET_IN }, who);
    const [miss, hit] = log.calls();
    expect(miss).toMatchObject({
      level: 20,
      msg: 'tool call succeeded',
      tool: 'vault',
      operation: 'reveal',
      userId: 'u-42',
      taskId: 't-9',
      attempt: 1,
      cache: 'miss',
      outcome: 'success',
    });
    expect(hit).toMatchObject({ level: 20, cache: 'hit', attempt: 0 });
    expect(typeof miss!.durationMs).toBe('number');
    expect(miss!.durationMs as number).toBeGreaterThanOrEqual(0);
  });

  it('logs a failed call at warn with its error code and kind, and a caller error at info', async () => {
    const log = pinoInto('debug');
    const app = makeApp({ logger: log.logger });
    app.tool(VaultTool).failures = 2;
    await app.run('vault.unstable', { token: SECRET_IN }, who).catch(() => undefined);
    await app.run('vault.reveal', { token: 42 }, who).catch(() => undefined);
    const [failed, invalid] = log.calls();
    expect(failed).toMatchObject({
      level: 40,
      msg: 'tool call failed',
      operation: 'unstable',
      attempt: 2,
      errorCode: 'TOOL_EXECUTION',
      errorKind: 'transient',
      outcome: 'failure',
    });
    expect(invalid).toMatchObject({
      level: 30,
      msg: 'tool call failed',
      operation: 'reveal',
      cache: 'miss',
      errorCode: 'INPUT_VALIDATION',
      errorKind: 'caller',
    });
  });

  it('never logs input or output values', async () => {
    const log = pinoInto('debug');
    const app = makeApp({ logger: log.logger, config: { logExecutionTime: true } });
    app.tool(VaultTool).failures = 1;
    await app.run('vault.reveal', { token: SECRET_IN }, who);
    await app.run('vault.reveal', { token: SECRET_IN }, who);
    await app.run('vault.reveal', { token: SECRET_IN, extra: SECRET_IN }, who).catch(() => undefined);
    await app.run('vault.unstable', { token: SECRET_IN }, who);
    expect(log.raw.length).toBeGreaterThanOrEqual(5);
    for (const line of log.raw) {
      expect(line).not.toContain(SECRET_IN);
      expect(line).not.toContain(SECRET_OUT);
    }
  });

  it("without a level set, pino's own level decides, and calls are timed only when a line would carry the duration", async () => {
    const atInfo = pinoInto('info');
    const app = makeApp({ logger: atInfo.logger });
    expect(app.runtime.events.wantsTimings()).toBe(false);
    app.tool(VaultTool).failures = 1;
    await app.run('vault.unstable', { token: 'x' }, who); // retried: an info line, no call line
    expect(atInfo.calls()).toEqual([]);
    expect(atInfo.lines().map((l) => l.msg)).toEqual(['retrying operation']);
    expect(makeApp({ logger: pinoInto('debug').logger }).runtime.events.wantsTimings()).toBe(true);
  });

  it('TOOL_EXECUTOR_LOG_LEVEL drops lines below it before they reach a pino at debug; the logLevel option too', async () => {
    await withEnv({ TOOL_EXECUTOR_LOG_LEVEL: 'warn' }, async () => {
      const log = pinoInto('debug');
      const app = makeApp({ logger: log.logger });
      app.tool(VaultTool).failures = 2;
      await app.run('vault.reveal', { token: 'x' }, who);
      await app.run('vault.unstable', { token: 'x' }, who).catch(() => undefined);
      expect(log.lines().map((l) => [l.msg, l.level])).toEqual([['tool call failed', 40]]);
      expect(app.runtime.events.wantsTimings()).toBe(false);
    });
    const log = pinoInto('debug');
    const app = makeApp({ logger: log.logger, config: { logLevel: 'error' } });
    app.tool(VaultTool).failures = 2;
    await app.run('vault.unstable', { token: 'x' }, who).catch(() => undefined);
    expect(log.raw).toEqual([]);
  });

  it('TOOL_EXECUTOR_LOG_EXECUTION_TIME logs every call at info with its duration', async () => {
    await withEnv({ TOOL_EXECUTOR_LOG_EXECUTION_TIME: 'true' }, async () => {
      const log = pinoInto('info');
      const app = makeApp({ logger: log.logger });
      expect(app.runtime.events.wantsTimings()).toBe(true);
      await app.run('vault.reveal', { token: 'x' }, who);
      const [line] = log.calls();
      expect(line).toMatchObject({ level: 30, msg: 'tool call succeeded', operation: 'reveal', cache: 'miss' });
      expect(typeof line!.durationMs).toBe('number');
    });
  });
});
