import * as ts from 'typescript';
import * as core from '../src';
import { ConfigurationError } from '../src';

/** Compiles `source` the way a project with `experimentalDecorators: true` does, and runs it. */
function runAsLegacyProject(source: string): unknown {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { experimentalDecorators: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  });
  const module = { exports: {} as Record<string, unknown> };
  const requireShim = (id: string): unknown => (id === '@aiecs/core' ? core : require(id));
  new Function('require', 'module', 'exports', outputText)(requireShim, module, module.exports);
  return module.exports;
}

describe('code compiled for legacy decorators', () => {
  it.each([
    ['a method decorator', `import { Retry } from '@aiecs/core'; class T { @Retry({ attempts: 2 }) async op() {} }`, 'Retry'],
    ['a class decorator', `import { Tool } from '@aiecs/core'; @Tool({ name: 'x' }) class T {}`, 'Tool'],
    ['a policy decorator on a class', `import { Timeout } from '@aiecs/core'; @Timeout(50) class T {}`, 'Timeout'],
  ])('fails at %s with an error that names experimentalDecorators and what to set', (_what, source, decorator) => {
    let thrown: unknown;
    try {
      runAsLegacyProject(source);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    const error = thrown as ConfigurationError;
    expect(error.option).toBe('experimentalDecorators');
    expect(error.message).toContain(`@${decorator} was called as a legacy decorator`);
    expect(error.message).toMatch(/remove "experimentalDecorators".*or set it to false/);
  });

  it('standard decorators compiled by the same compiler still work', () => {
    const { outputText } = ts.transpileModule(
      `import { Retry } from '@aiecs/core'; export class T { @Retry({ attempts: 2 }) async op() {} }`,
      {
        compilerOptions: { experimentalDecorators: false, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
      },
    );
    const module = { exports: {} as Record<string, unknown> };
    new Function('require', 'module', 'exports', outputText)(
      (id: string) => (id === '@aiecs/core' ? core : require(id)),
      module,
      module.exports,
    );
    const T = module.exports.T as abstract new () => unknown;
    expect(core.getToolMetadata(T).operations.get('op')?.retry).toMatchObject({ attempts: 2 });
  });
});
