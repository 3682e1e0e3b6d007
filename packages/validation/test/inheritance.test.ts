import { InputValidationError } from '@aiecs/core';
import { getMetadataStorage } from 'class-validator';
import { createInputValidator, IsInt, IsOptional, IsString, Type, ValidateNested } from '../src';

class Base {
  @IsString()
  id!: string;
}

class Extended extends Base {
  @IsInt()
  level!: number;
}

class Undecorated extends Extended {}

describe('schema inheritance', () => {
  const base = createInputValidator(Base);
  const extended = createInputValidator(Extended);

  it('a subclass schema adds its fields to the parent ones', () => {
    const value = extended({ id: 'a', level: 2 });
    expect(value).toBeInstanceOf(Extended);
    expect(() => extended({ id: 'a' })).toThrow(/level/);
    expect(() => extended({ id: 1, level: 2 })).toThrow(/id/);
  });

  it('the parent schema is unchanged: it still rejects the child field', () => {
    expect(base({ id: 'a' })).toBeInstanceOf(Base);
    try {
      base({ id: 'a', level: 2 });
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(InputValidationError);
      expect((error as InputValidationError).errors).toEqual([
        { path: 'level', constraints: { whitelistValidation: 'property level should not exist' } },
      ]);
    }
  });

  it('a subclass without decorators of its own validates like its parent, without re-registering it', () => {
    const undecorated = createInputValidator(Undecorated);
    expect(undecorated({ id: 'a', level: 1 })).toBeInstanceOf(Undecorated);
    try {
      undecorated({ id: 2, level: 'x' });
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as InputValidationError).errors).toEqual([
        { path: 'id', constraints: { isString: 'id must be a string' } },
        { path: 'level', constraints: { isInt: 'level must be an integer number' } },
      ]);
    }
    // The parents' decorators were not replayed a second time onto Undecorated.prototype.
    const count = (cls: Function) => getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false, undefined).length;
    expect(count(Undecorated)).toBe(count(Extended));
    expect(count(Extended)).toBe(2);
  });

  it('two sibling subclasses do not see each other fields', () => {
    class Left extends Base {
      @IsString()
      left!: string;
    }
    class Right extends Base {
      @IsString()
      right!: string;
    }
    expect(createInputValidator(Left)({ id: 'a', left: 'l' })).toBeInstanceOf(Left);
    expect(() => createInputValidator(Left)({ id: 'a', left: 'l', right: 'r' })).toThrow(/right should not exist/);
    expect(() => createInputValidator(Right)({ id: 'a', right: 'r', left: 'l' })).toThrow(/left should not exist/);
  });
});

describe('@Type thunks', () => {
  it('may refer to a class defined after the schema (and after the validator is created)', () => {
    class Invoice {
      @ValidateNested({ each: true })
      @Type(() => Line)
      lines!: Line[];
    }
    const validate = createInputValidator(Invoice);
    class Line {
      @IsString()
      sku!: string;
    }
    const invoice = validate({ lines: [{ sku: 'a' }] });
    expect(invoice.lines[0]).toBeInstanceOf(Line);
    expect(() => validate({ lines: [{ sku: 1 }] })).toThrow(/lines\.0\.sku/);
  });

  it('prepares nested classes declared on a parent schema, and mutually recursive classes', () => {
    class Node {
      @IsString()
      label!: string;
      @IsOptional()
      @ValidateNested({ each: true })
      @Type(() => Node)
      children?: Node[];
    }
    class Root extends Base {
      @ValidateNested()
      @Type(() => Node)
      tree!: Node;
    }
    const validate = createInputValidator(Root);
    const root = validate({ id: 'r', tree: { label: 'a', children: [{ label: 'b', children: [{ label: 'c' }] }] } });
    expect(root.tree.children![0]!.children![0]).toBeInstanceOf(Node);
    expect(() => validate({ id: 'r', tree: { label: 'a', children: [{ label: 'b', children: [{ label: 3 }] }] } })).toThrow(
      /tree\.children\.0\.children\.0\.label/,
    );
  });
});
