import 'reflect-metadata';
import { getMetadataStorage, validateSync, ValidatorConstraint } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import {
  adaptLegacyDecorator,
  IsInt,
  IsString,
  Matches,
  Min,
  prepareSchema,
  Type,
  ValidateNested,
  Validate,
  IsMACAddress,
  ArrayUnique,
} from '../src';
import type { FieldDecorator } from '../src';

const metadataCount = (cls: Function) => getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false, undefined).length;

describe('adapted decorators (TC39)', () => {
  it('record instead of registering: nothing reaches class-validator before prepareSchema', () => {
    class Point {
      @IsInt()
      @Min(0)
      x!: number;
    }
    expect(metadataCount(Point)).toBe(0);
    prepareSchema(Point);
    expect(metadataCount(Point)).toBe(2);
    expect(validateSync(Object.assign(new Point(), { x: -1 }))).toHaveLength(1);
  });

  it('replays each class once, however often it is prepared', () => {
    class Named {
      @IsString()
      name!: string;
    }
    prepareSchema(Named);
    prepareSchema(Named);
    expect(metadataCount(Named)).toBe(1);
  });

  it('keep overloads and argument types of the originals', () => {
    class Device {
      @Matches(/^[a-z]+$/)
      code!: string;
      @Matches('^[A-Z]+$', 'i')
      label!: string;
      @IsMACAddress({ no_separators: true })
      mac!: string;
      @ArrayUnique((entry: { id: string }) => entry.id)
      entries!: Array<{ id: string }>;
    }
    prepareSchema(Device);
    const errors = validateSync(Object.assign(new Device(), { code: 'AB', label: 'ab', mac: 'x', entries: [{ id: 'a' }, { id: 'a' }] }));
    expect(errors.map((e) => e.property).sort()).toEqual(['code', 'entries', 'mac']);
  });

  it('Validate takes a custom constraint class (class-validator @ValidatorConstraint works as a TC39 class decorator)', () => {
    @ValidatorConstraint({ name: 'even' })
    class Even {
      validate(value: unknown) {
        return typeof value === 'number' && value % 2 === 0;
      }
      defaultMessage() {
        return 'must be even';
      }
    }
    class Pair {
      @Validate(Even, { message: 'left must be even' })
      left!: number;
      @Validate(Even, [1], { message: 'right must be even' })
      right!: number;
    }
    prepareSchema(Pair);
    const errors = validateSync(Object.assign(new Pair(), { left: 1, right: 3 }));
    expect(errors.flatMap((e) => Object.values(e.constraints ?? {}))).toEqual(['left must be even', 'right must be even']);
  });

  it('register @Type at prepare time, so plainToInstance builds nested instances afterwards', () => {
    class Leaf {
      @IsString()
      name!: string;
    }
    class Tree {
      @ValidateNested()
      @Type(() => Leaf)
      leaf!: Leaf;
    }
    expect(plainToInstance(Tree, { leaf: { name: 'a' } }).leaf).not.toBeInstanceOf(Leaf);
    prepareSchema(Tree);
    expect(plainToInstance(Tree, { leaf: { name: 'a' } }).leaf).toBeInstanceOf(Leaf);
  });

  it('throw a clear TypeError without context.metadata', () => {
    const decorator = IsString();
    const context = {
      kind: 'field',
      name: 'x',
      static: false,
      private: false,
      metadata: undefined,
    } as unknown as ClassFieldDecoratorContext;
    expect(() => decorator(undefined, context)).toThrow(TypeError);
    expect(() => decorator(undefined, context)).toThrow(/context\.metadata is missing/);
  });

  it('refuse static and private fields', () => {
    expect(() => {
      class Bad {
        @IsString()
        static label: string;
      }
      return Bad;
    }).toThrow(/public, non-static/);
    expect(() => {
      class Bad {
        @IsString()
        #secret = '';
        peek() {
          return this.#secret;
        }
      }
      return Bad;
    }).toThrow(/public, non-static/);
  });

  it('adaptLegacyDecorator adapts a custom legacy decorator factory', () => {
    const calls: string[] = [];
    const Tag = adaptLegacyDecorator(
      'Tag',
      (label: string) => (_target: object, key: string | symbol) => void calls.push(`${label}:${String(key)}`),
    );
    const decorator: FieldDecorator = Tag('t');
    class Tagged {
      @decorator
      a!: string;
    }
    expect(calls).toEqual([]);
    prepareSchema(Tagged);
    expect(calls).toEqual(['t:a']);
    expect(Tag.name).toBe('Tag');
  });

  it('wraps a throwing @Type thunk in a TypeError that names the field, and retries later', () => {
    let ready = false;
    class Target {
      @IsString()
      name!: string;
    }
    class Source {
      @ValidateNested()
      @Type(() => {
        if (!ready) throw new ReferenceError('not yet');
        return Target;
      })
      target!: Target;
    }
    expect(() => prepareSchema(Source)).toThrow(/Source\.target/);
    ready = true;
    prepareSchema(Source);
    expect(metadataCount(Source)).toBe(1);
    expect(metadataCount(Target)).toBe(1);
  });
});

// Type-level checks (run by `tsc`, never executed): adapted factories keep the original arguments.
export function typeChecks(): void {
  // @ts-expect-error IsString takes ValidationOptions, not a number
  IsString(42);
  // @ts-expect-error Min requires its bound
  Min();
  // @ts-expect-error Matches(RegExp) takes no modifiers
  Matches(/x/, 'i', {});
  const field: FieldDecorator = Type(() => Date);
  void field;
}
