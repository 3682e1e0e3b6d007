import * as ts from 'typescript';
import { ConfigurationError } from '@aiecs/core';
import * as validation from '../src';

describe('schema classes compiled for legacy decorators', () => {
  it('fail at the first field decorator with an error that names experimentalDecorators', () => {
    const { outputText } = ts.transpileModule(`import { IsString } from '@aiecs/validation'; class Input { @IsString() name!: string; }`, {
      compilerOptions: { experimentalDecorators: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
    });
    const module = { exports: {} };
    const run = () =>
      new Function('require', 'module', 'exports', outputText)(
        (id: string) => (id === '@aiecs/validation' ? validation : require(id)),
        module,
        module.exports,
      );
    expect(run).toThrow(ConfigurationError);
    expect(run).toThrow(/@IsString was called as a legacy decorator.*"experimentalDecorators"/);
  });
});
