import {
  AiecsError,
  BulkheadRejectedError,
  checkNumber,
  CircuitOpenError,
  ConfigurationError,
  InputValidationError,
  SecurityError,
  TimeoutError,
  ToolExecutionError,
} from '../src';

describe('errors', () => {
  const site = { tool: 'FileTool', operation: 'read' };

  it('carry a stable code, their name and the details', () => {
    const validation = new InputValidationError([{ path: 'items.1.name', constraints: { isString: 'name must be a string' } }], 'read');
    expect(validation).toMatchObject({ code: 'INPUT_VALIDATION', name: 'InputValidationError', operation: 'read' });
    expect(validation.message).toBe("Invalid input for 'read': items.1.name: name must be a string");
    expect(new SecurityError('q', 'sqlInjection', 'quote break-out')).toMatchObject({ code: 'SECURITY', field: 'q', rule: 'sqlInjection' });
    expect(new TimeoutError(100, 'attempt', site).message).toBe('FileTool.read timed out after 100 ms (attempt deadline)');
    const cause = new Error('boom');
    expect(new ToolExecutionError(site, 'boom', { cause })).toMatchObject({ code: 'TOOL_EXECUTION', cause, tool: 'FileTool' });
  });

  it('circuit and bulkhead rejections are ToolExecutionErrors', () => {
    expect(new CircuitOpenError(site)).toBeInstanceOf(ToolExecutionError);
    expect(new BulkheadRejectedError(site, 2, 1)).toBeInstanceOf(ToolExecutionError);
    expect(new BulkheadRejectedError(site, 2, 1).code).toBe('BULKHEAD_REJECTED');
    expect(new CircuitOpenError(site)).toBeInstanceOf(AiecsError);
  });
});

describe('checkNumber', () => {
  it.each([
    [Number.NaN, 'expected a number'],
    ['3', 'expected a number'],
    [Number.POSITIVE_INFINITY, 'expected a finite number'],
    [-1, 'must be at least 0'],
    [1.5, 'expected a whole number'],
  ])('rejects %p (%s)', (value, reason) => {
    expect(() => checkNumber('cacheSize', value, { integer: true })).toThrow(new ConfigurationError('cacheSize', value, reason));
  });

  it('returns a valid value', () => {
    expect(checkNumber('x', 3, { min: 1, max: 3, integer: true })).toBe(3);
  });
});
