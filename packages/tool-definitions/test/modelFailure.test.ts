import { ConfigurationError } from '@aiecs/core';
import { openAIFunctions, runToolCall, toolFaces, toolNames } from '../src';
import { createSampleApp } from './sampleApp';

describe('what a model sees when a call fails', () => {
  it('a validation failure lists each field with what was expected and what was received', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const faces = toolFaces(app, 'mcp');
    const outcome = await runToolCall(faces, 'calc.wait', { ms: 0, steps: 'many' });
    expect(outcome.isError).toBe(true);
    if (!outcome.isError) return;
    expect(outcome.failure.fields).toEqual([
      { path: 'ms', expected: ['ms must not be less than 1'], received: '0' },
      { path: 'steps', expected: expect.arrayContaining(['steps must be an integer number']), received: '"many"' },
    ]);
    expect(outcome.text).toContain('- ms: expected ms must not be less than 1; received 0');
    expect(outcome.text).not.toMatch(/\n\s+at /); // no stack frames
  });

  it('a missing field says it was missing; arguments that are not JSON are a validation failure', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const faces = toolFaces(app, 'openai');
    const missing = await runToolCall(faces, 'calc_wait', { ms: 10 });
    expect(missing.text).toMatch(/- steps: expected .*; received nothing \(missing\)/);
    const notJson = await runToolCall(faces, 'calc_wait', '{"ms": 10');
    expect(notJson.isError && notJson.failure.code).toBe('INPUT_VALIDATION');
    expect(notJson.text).toContain('arguments must be a JSON object');
  });

  it('a timeout of a non-idempotent operation says it may still have taken effect', async () => {
    const { app, counters } = createSampleApp();
    await using _app = app;
    const outcome = await runToolCall(toolFaces(app, 'mcp'), 'journal.append', { text: 'x', delayMs: 2_000 });
    expect(counters.appends).toBe(1);
    expect(outcome.isError && outcome.failure).toMatchObject({ code: 'TIMEOUT', mayHaveTakenEffect: true, retryable: true });
    expect(outcome.text).toContain('did not finish within 150 ms');
    expect(outcome.text).toContain('It may still have taken effect (it is not declared idempotent)');
  });

  it('a timeout of a read-only operation says nothing was changed', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const outcome = await runToolCall(toolFaces(app, 'mcp'), 'calc.wait', { ms: 5_000, steps: 1 }, { deadlineMs: Date.now() + 50 });
    expect(outcome.isError && outcome.failure).toMatchObject({ code: 'TIMEOUT', mayHaveTakenEffect: false });
    expect(outcome.text).toContain('It is read-only, so nothing was changed.');
  });

  it('an open circuit says when to try again', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const faces = toolFaces(app, 'mcp');
    const first = await runToolCall(faces, 'fragile.broken', {});
    expect(first.isError && first.failure).toMatchObject({ retryable: true });
    expect(first.text).toContain('fragile.broken failed: ECONNREFUSED: upstream is down. It may succeed if called again.');
    const second = await runToolCall(faces, 'fragile.broken', {});
    expect(second.isError && second.failure).toMatchObject({ code: 'CIRCUIT_OPEN', retryAfterMs: 30_000 });
    expect(second.text).toContain('Try again in 30 s at the latest.');
  });

  it('a full bulkhead says the call was not attempted and when a slot frees', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const faces = toolFaces(app, 'mcp');
    const [held, refused] = await Promise.all([runToolCall(faces, 'fragile.narrow', {}), runToolCall(faces, 'fragile.narrow', {})]);
    expect(held).toMatchObject({ isError: false, value: 'done' });
    expect(refused.isError && refused.failure).toMatchObject({ code: 'BULKHEAD_REJECTED', retryable: true, retryAfterMs: 2_000 });
    expect(refused.text).toContain('1 call running and 0 waiting, so the call was not attempted');
  });

  it('an unknown tool name is a failure result, not a throw', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    const outcome = await runToolCall(toolFaces(app, 'mcp'), 'calc.divide', {});
    expect(outcome.isError && outcome.failure.code).toBe('UNKNOWN_OPERATION');
  });
});

describe('tool names', () => {
  it('use the target’s separator, and refuse separators and names the target forbids', async () => {
    const { app } = createSampleApp();
    await using _app = app;
    expect([...toolNames(app.operations(), 'mcp').keys()]).toContain('calc.sum');
    expect(openAIFunctions(app).chatTools.map((t) => t.function.name)).toContain('calc_sum');
    expect(() => toolNames(app.operations(), 'openai', '.')).toThrow(ConfigurationError);
    expect(() => toolNames(app.operations(), 'mcp', '/')).toThrow(/separator/);
    expect(() => toolFaces(app, 'mcp', { separator: '__' })).not.toThrow();
  });

  it('refuse two operations that map to one name', () => {
    const op = (tool: string, name: string) => ({ tool, name, qualifiedName: `${tool}.${name}`, sideEffects: {}, cached: false });
    expect(() => toolNames([op('a_b', 'c'), op('a', 'b_c')], 'openai')).toThrow(/maps to the same openai tool name as a_b.c/);
  });
});
