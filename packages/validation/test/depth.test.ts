import { InputValidationError, type FieldError } from '@aiecs/core';
import { createInputValidator, IsOptional, IsString, Type, ValidateNested } from '../src';
import { findDepthViolation } from '../src/strict/depth';

class Node {
  @IsString()
  label!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => Node)
  child?: Node;
}

/** `{ label, child: { label, child: ... } }`, `levels` objects deep. */
function chain(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = { label: '0' };
  let current = root;
  for (let i = 1; i < levels; i++) {
    const next: Record<string, unknown> = { label: String(i) };
    current.child = next;
    current = next;
  }
  return root;
}

function failure(fn: () => unknown): FieldError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).errors).toHaveLength(1);
    return (error as InputValidationError).errors[0]!;
  }
  throw new Error('expected an InputValidationError');
}

describe('depth limit', () => {
  const validate = createInputValidator(Node);

  it('accepts an input exactly maxDepth (default 32) objects deep', () => {
    expect(validate(chain(32))).toBeInstanceOf(Node);
  });

  it('rejects one level more, at the path where the limit was passed', () => {
    const error = failure(() => validate(chain(33)));
    expect(error.path).toBe(Array(32).fill('child').join('.'));
    expect(Object.keys(error.constraints)).toEqual(['maxDepth']);
  });

  it('rejects a 2000-level input with InputValidationError, not a RangeError', () => {
    const error = failure(() => validate(chain(2000)));
    expect(error.constraints.maxDepth).toMatch(/maximum depth of 32/);
  });

  it('counts arrays as levels and honours a custom maxDepth', () => {
    const shallow = createInputValidator(Node, { maxDepth: 2 });
    expect(shallow({ label: 'a', child: { label: 'b' } })).toBeInstanceOf(Node);
    expect(failure(() => shallow({ label: 'a', child: { label: 'b', child: { label: 'c' } } })).path).toBe('child.child');
    expect(failure(() => shallow({ label: 'a', extra: [[1]] })).path).toBe('extra.0');
  });

  it('rejects a cyclic input instead of hanging or overflowing', () => {
    const input: Record<string, unknown> = { label: 'a', child: { label: 'b' } };
    (input.child as Record<string, unknown>).child = input;
    const error = failure(() => validate(input));
    expect(error.path).toBe('child.child');
    expect(Object.keys(error.constraints)).toEqual(['circular']);
  });

  it('rejects a self-referencing array', () => {
    const list: unknown[] = [];
    list.push(list);
    expect(failure(() => validate({ label: 'a', child: list })).path).toBe('child.0');
  });
});

describe('findDepthViolation', () => {
  it('is undefined for primitives and shallow values', () => {
    expect(findDepthViolation('x', 1)).toBeUndefined();
    expect(findDepthViolation(null, 1)).toBeUndefined();
    expect(findDepthViolation({ a: 1, b: [1, 2] }, 2)).toBeUndefined();
    expect(findDepthViolation({ a: 1, b: [1, 2] }, 1)?.path).toBe('b');
  });

  it('accepts shared (non-circular) sub-objects and stays fast on heavily shared graphs', () => {
    // 60 levels, each referring twice to the next: 2^60 paths, 60 distinct objects.
    let node: Record<string, unknown> = {};
    for (let i = 0; i < 60; i++) node = { left: node, right: node };
    const started = Date.now();
    expect(findDepthViolation(node, 64)).toBeUndefined();
    expect(findDepthViolation(node, 40)?.constraints).toHaveProperty('maxDepth');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('walks Map and Set values', () => {
    expect(findDepthViolation({ m: new Map([['k', { x: {} }]]) }, 3)?.path).toBe('m.k.x');
    expect(findDepthViolation({ s: new Set([1, { x: {} }]) }, 3)?.path).toBe('s.1.x');
  });
});
