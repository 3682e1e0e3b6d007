import {
  CacheResult,
  ConfigurationError,
  getToolMetadata,
  interceptOperation,
  isIntercepted,
  MeasureTime,
  Retry,
  Timeout,
  INVOKE_OPERATION,
  ValidateInput,
  Bulkhead,
  CircuitBreaker,
  UsePolicy,
} from '../src';

class Schema {}

class Parent {
  @CacheResult({ ttlMs: 5 })
  @MeasureTime()
  read(_input: object) {
    return 'parent';
  }
}

@Retry({ attempts: 2 })
class Child extends Parent {
  @ValidateInput(Schema)
  override read(_input: object) {
    return 'child';
  }

  @Timeout(100)
  write(_input: object) {
    return 'w';
  }
}

describe('decorator metadata', () => {
  it('records each concern on the operation, whatever the decorator order', () => {
    expect(getToolMetadata(Parent).operations.get('read')).toEqual({ name: 'read', cache: { ttlMs: 5 }, measure: true });
  });

  it('a subclass inherits and extends its parent declarations without changing the parent', () => {
    const child = getToolMetadata(Child);
    expect(child.operations.get('read')).toEqual({
      name: 'read',
      cache: { ttlMs: 5 },
      measure: true,
      validate: { schema: Schema, options: {} },
    });
    expect(child.operations.get('write')).toEqual({ name: 'write', timeout: { ms: 100 } });
    expect(child.toolPolicies).toEqual({ retry: { attempts: 2 } });
    const parent = getToolMetadata(Parent);
    expect(parent.operations.get('read')?.validate).toBeUndefined();
    expect(parent.operations.has('write')).toBe(false);
    expect(parent.toolPolicies).toEqual({});
  });

  it('a class without decorators has empty metadata', () => {
    class Plain {}
    expect(getToolMetadata(Plain).operations.size).toBe(0);
  });

  it('rejects invalid options at decoration time with ConfigurationError naming the option', () => {
    expect(() => Retry({ attempts: 0 })).toThrow(ConfigurationError);
    expect(() => Timeout(-1)).toThrow(/Timeout.ms/);
    expect(() => CacheResult({ ttlMs: Number.NaN })).toThrow(/CacheResult.ttlMs/);
    expect(() => Bulkhead({ limit: 0 })).toThrow(/Bulkhead.limit/);
    expect(() => CircuitBreaker({ halfOpenAfterMs: -1 })).toThrow(/halfOpenAfterMs/);
    expect(() => UsePolicy({} as never)).toThrow(TypeError);
    expect(() => ValidateInput(undefined as never)).toThrow(TypeError);
  });

  it('refuses static and private methods', () => {
    expect(() => {
      class Bad {
        @MeasureTime() static op() {}
      }
      return Bad;
    }).toThrow(/public instance methods/);
  });
});

describe('interception', () => {
  it('installs one forwarder that calls the instance invoker with the original method', () => {
    const calls: unknown[][] = [];
    class Host {
      [INVOKE_OPERATION](...args: unknown[]) {
        calls.push(args);
        return 'forwarded';
      }
      @MeasureTime()
      @CacheResult()
      op(input: object) {
        return input;
      }
    }
    expect(isIntercepted(Host.prototype.op)).toBe(true);
    expect(new Host().op({ a: 1 })).toBe('forwarded');
    expect(calls[0][0]).toBe('op');
    expect(isIntercepted(calls[0][1])).toBe(false);
    expect(calls[0][2]).toEqual({ a: 1 });
  });

  it('a forwarder called on an object without an executor fails with a clear error', () => {
    const forwarder = interceptOperation(function op() {}, 'op');
    expect(() => forwarder.call({})).toThrow(/extends BaseTool/);
  });
});
