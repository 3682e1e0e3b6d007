import { InputValidationError, ToolExecutionError } from '@aiecs/core';
import { instrument } from './instrument';
import { build, closeServices, eventBase, fail, fakeNext, makeCall, sources, transient } from './concern.testkit';

afterEach(closeServices);

describe('instrument', () => {
  it('is active for every operation, whatever the sources', () => {
    expect(instrument.plan(sources())).toEqual({});
    expect(instrument.plan(sources({ config: { enableCache: false, logExecutionTime: false } }))).toEqual({});
  });

  it('passes call and input to next, returns its value and reports the call as it starts and ends', async () => {
    const { stage, log } = build(instrument, {});
    const next = fakeNext();
    const call = makeCall();
    const input = { path: 'a.txt' };

    await expect(stage.wrap(next)(call, input)).resolves.toBe('result');

    expect(next).toHaveBeenCalledWith(call, input);
    expect(log.names()).toEqual(['callStarted', 'callEnded']);
    expect(log.of('callStarted')[0]).toEqual(eventBase(0));
    const [ended] = log.of('callEnded');
    expect(ended).toMatchObject({ ...eventBase(1), outcome: 'success', errorCode: undefined, errorKind: undefined });
    expect(ended!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("wraps a method's own error in ToolExecutionError (cause kept, kind derived) and reports its code and kind", async () => {
    const { stage, log } = build(instrument, {});
    const boom = transient('disk on fire');

    const error = await stage.wrap(fakeNext(fail(boom)))(makeCall(), {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error).toMatchObject({ message: 'files.read: disk on fire', cause: boom, kind: 'transient', tool: 'files', operation: 'read' });
    expect(log.of('callEnded')[0]).toMatchObject({ ...eventBase(1), outcome: 'failure', errorCode: 'TOOL_EXECUTION', errorKind: 'transient' });
  });

  it('classifies an error that says retryable: false as internal', async () => {
    const { stage, log } = build(instrument, {});
    const error = await stage.wrap(fakeNext(fail(Object.assign(new Error('bad'), { retryable: false }))))(makeCall(), {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'internal' });
    expect(log.of('callEnded')[0]).toMatchObject({ errorKind: 'internal' });
  });

  it("hands the framework's own errors to the caller unchanged", async () => {
    const { stage, log } = build(instrument, {});
    const invalid = new InputValidationError([{ path: 'path', constraints: { isString: 'path must be a string' } }], 'read');

    await expect(stage.wrap(fakeNext(fail(invalid)))(makeCall(), {})).rejects.toBe(invalid);
    expect(log.of('callEnded')[0]).toMatchObject({ outcome: 'failure', errorCode: 'INPUT_VALIDATION', errorKind: 'caller' });
  });
});
