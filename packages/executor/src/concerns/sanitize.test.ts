import { SecurityError } from '@aiecs/core';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sanitize, type SanitizePlan } from './sanitize';
import { build, closeServices, fakeNext, makeCall, services, sources } from './concern.testkit';

afterEach(closeServices);

const plan = (
  options: SanitizePlan['options'] = {},
  defaultRules: SanitizePlan['defaultRules'] = ['sqlInjection', 'pathTraversal', 'nullByte'],
): SanitizePlan => ({ options, defaultRules });

describe('sanitize plan', () => {
  it('is @Sanitize options with the rules of the security level, unless security checks are off or nothing is declared', () => {
    const declared = { sanitize: { exclude: ['raw'] } };
    expect(sanitize.plan(sources({ declared }))).toEqual({
      options: declared.sanitize,
      defaultRules: ['sqlInjection', 'pathTraversal', 'nullByte'],
    });
    expect(sanitize.plan(sources({ declared, config: { securityLevel: 'low' } }))?.defaultRules).toEqual(['pathTraversal', 'nullByte']);
    expect(sanitize.plan(sources({ declared, config: { securityLevel: 'high' } }))?.defaultRules).toContain('script');
    expect(sanitize.plan(sources({ declared, config: { allowedFileExtensions: ['.md'] } }))?.allowedFileExtensions).toEqual(['.md']);
    expect(sanitize.plan(sources({ declared, config: { enableSecurityChecks: false } }))).toBeUndefined();
    expect(sanitize.plan(sources())).toBeUndefined();
  });
});

describe('sanitize stage', () => {
  it('passes a clean input on unchanged, with the same call', async () => {
    const { stage } = build(sanitize, plan());
    const next = fakeNext();
    const call = makeCall();
    const input = { path: 'docs/readme.md', tags: ['a', 'b'] };

    await expect(stage.wrap(next)(call, input)).resolves.toBe('result');
    expect(next).toHaveBeenCalledWith(call, input);
  });

  it('rejects a string matching a rule with SecurityError naming field and rule, without calling next', async () => {
    const { stage } = build(sanitize, plan());
    const next = fakeNext();

    const error = await stage
      .wrap(next)(makeCall(), { nested: { path: '../../etc/passwd' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecurityError);
    expect(error).toMatchObject({ field: 'nested.path', rule: 'pathTraversal', kind: 'caller' });
    expect(next).not.toHaveBeenCalled();
  });

  it('honours the plan: excluded fields and deselected rules are not checked, the level picks the default rules', async () => {
    const next = fakeNext();
    await expect(build(sanitize, plan({ exclude: ['path'] })).stage.wrap(next)(makeCall(), { path: '../x' })).resolves.toBe('result');
    await expect(build(sanitize, plan({ rules: ['sqlInjection'] })).stage.wrap(next)(makeCall(), { path: '../x' })).resolves.toBe('result');
    await expect(build(sanitize, plan({}, ['pathTraversal'])).stage.wrap(next)(makeCall(), { q: "x' or 1=1 --" })).resolves.toBe('result');
    expect(next).toHaveBeenCalledTimes(3);
  });

  describe('path confinement', () => {
    let base: string;
    let root: string;
    beforeAll(async () => {
      base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'aiecs-sanitize-')));
      root = path.join(base, 'root');
      await mkdir(root);
      await mkdir(path.join(base, 'outside'));
      await writeFile(path.join(root, 'a.md'), 'a');
      await writeFile(path.join(base, 'outside', 'secret.md'), 's');
      await symlink(path.join(base, 'outside'), path.join(root, 'out'), 'dir');
    });
    afterAll(() => rm(base, { recursive: true, force: true }));

    it('confines a declared field to a root given as a value', async () => {
      const next = fakeNext();
      const { stage } = build(sanitize, plan({ fields: { file: { confine: { root, extensions: ['.md'] } } } }));
      const run = (input: unknown) => stage.wrap(next)(makeCall(), input);
      await expect(run({ file: 'a.md' })).resolves.toBe('result');
      await expect(run({ file: 'out/secret.md' })).rejects.toMatchObject({ name: 'SecurityError', rule: 'confinement', field: 'file' });
      await expect(run({ file: 'a.md.exe' })).rejects.toMatchObject({ rule: 'confinement' });
      await expect(run({})).resolves.toBe('result'); // an optional field left out
      expect(next).toHaveBeenCalledTimes(2);
    });

    it('resolves a root given as a function of the tool (its config, its own fields)', async () => {
      const tool = { root, executor: { config: { securityLevel: 'medium' } } };
      const svc = services({ target: tool });
      const next = fakeNext();
      const { stage } = build(sanitize, plan({ fields: { 'files.*': { confine: { root: (t: typeof tool) => t.root } } } }), svc);
      await expect(stage.wrap(next)(makeCall(), { files: ['a.md', 'new.md'] })).resolves.toBe('result');
      await expect(stage.wrap(next)(makeCall(), { files: ['a.md', '../outside/secret.md'] })).rejects.toMatchObject({
        field: 'files.1',
        rule: 'confinement',
      });
    });

    it('uses the configured allowedFileExtensions when the field lists none', async () => {
      const next = fakeNext();
      const { stage } = build(sanitize, { ...plan({ fields: { file: { confine: { root } } } }), allowedFileExtensions: ['.txt'] });
      await expect(stage.wrap(next)(makeCall(), { file: 'a.md' })).rejects.toMatchObject({ rule: 'confinement' });
    });
  });
});
