import * as classTransformer from 'class-transformer';
import * as classValidator from 'class-validator';
import * as validation from '../src';
import { NON_FIELD_DECORATOR_EXPORTS, isFieldDecoratorFactory } from '../src/bridge/selection';

/** Upper-case function exports that are not classes: the candidates for adaptation. */
function candidates(module: object): string[] {
  return Object.entries(module)
    .filter(
      ([name, value]) => /^[A-Z]/.test(name) && typeof value === 'function' && !/^class\b/.test(Function.prototype.toString.call(value)),
    )
    .map(([name]) => name)
    .sort();
}

describe('the adapted decorator set', () => {
  const expected = [...candidates(classValidator), ...candidates(classTransformer)]
    .filter((name) => !NON_FIELD_DECORATOR_EXPORTS.has(name))
    .sort();

  it('holds every property-decorator factory of class-validator and class-transformer', () => {
    const exported = Object.keys(validation.adaptedDecorators).sort();
    expect(exported).toEqual(expected);
    expect(exported.length).toBeGreaterThan(110);
    for (const name of expected) {
      const value = (validation as Record<string, unknown>)[name];
      expect(typeof value).toBe('function');
      expect((value as Function).name).toBe(name);
      expect(value).not.toBe((classValidator as Record<string, unknown>)[name]);
    }
  });

  it('includes the commonly used ones', () => {
    for (const name of [
      'IsString',
      'IsInt',
      'Min',
      'Max',
      'IsOptional',
      'ValidateNested',
      'Type',
      'IsEmail',
      'IsIn',
      'IsArray',
      'ArrayMaxSize',
      'MaxLength',
      'IsBoolean',
      'IsNumber',
      'IsEnum',
      'Matches',
      'Expose',
      'Exclude',
      'Transform',
      'Validate',
      'ValidateIf',
      'Allow',
    ]) {
      expect(expected).toContain(name);
    }
  });

  it('excludes non-decorators: functions, classes, constants, class and method decorators', () => {
    for (const name of [
      'validate',
      'validateSync',
      'registerDecorator',
      'getMetadataStorage',
      'isString',
      'useContainer',
      'ValidationError',
      'Validator',
      'MetadataStorage',
      'ValidationTypes',
      'ValidatorConstraint',
      'IS_STRING',
      'plainToInstance',
      'ClassTransformer',
      'TransformationType',
      'TransformPlainToInstance',
      'TransformInstanceToPlain',
      'TransformInstanceToInstance',
    ]) {
      expect(Object.keys(validation.adaptedDecorators)).not.toContain(name);
    }
    expect(isFieldDecoratorFactory('ValidationError', classValidator.ValidationError)).toBe(false);
    expect(isFieldDecoratorFactory('IsString', classValidator.IsString)).toBe(true);
  });

  it('lists only exclusions that exist upstream (a stale entry would hide nothing but mislead)', () => {
    for (const name of NON_FIELD_DECORATOR_EXPORTS) {
      expect([...candidates(classValidator), ...candidates(classTransformer)]).toContain(name);
    }
  });

  it('every adapted decorator records a legacy decorator that class-validator or class-transformer accepts', () => {
    // Each factory is called with arguments valid for all of them, and replayed on a fresh class.
    const skipped = new Set([
      'Validate',
      'ValidateBy',
      'ValidateIf',
      'ValidatePromise',
      'IsInstance',
      'IsEnum',
      'Transform',
      'Type',
      'Length',
      'IsByteLength',
      'Matches',
      'IsIn',
      'IsNotIn',
      'IsDivisibleBy',
      'Min',
      'Max',
      'MinDate',
      'MaxDate',
      'MinLength',
      'MaxLength',
      'ArrayMinSize',
      'ArrayMaxSize',
      'ArrayContains',
      'ArrayNotContains',
      'Contains',
      'NotContains',
      'Equals',
      'NotEquals',
      'IsHash',
      'IsTaxId',
      'IsPostalCode',
      'IsIdentityCard',
      'IsPassportNumber',
      'IsMobilePhone',
    ]);
    for (const name of expected.filter((n) => !skipped.has(n))) {
      const factory = (validation as unknown as Record<string, () => (v: undefined, c: ClassFieldDecoratorContext) => void>)[name]!;
      const metadata: DecoratorMetadataObject = {};
      const decorator = factory();
      decorator(undefined, { kind: 'field', name: 'f', static: false, private: false, metadata } as unknown as ClassFieldDecoratorContext);
      const target = class {};
      Object.defineProperty(target, Symbol.metadata, { value: metadata });
      expect(() => validation.prepareSchema(target)).not.toThrow();
    }
  });
});
