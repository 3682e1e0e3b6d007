import { ConfigurationError, SecurityError, type SecurityRule } from '@aiecs/core';
import { corpus } from './corpus.testkit';
import { createSanitizer, ROOT_FIELD, SANITIZE_MAX_DEPTH } from './sanitizeInput';

/** What `fn` threw, for assertions on the error's fields. */
function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const SQLI = "x' or 1=1--";
const TRAVERSAL = '../../etc/passwd';

describe('createSanitizer with the default rules on the shared corpus', () => {
  const sanitize = createSanitizer(undefined);

  test.each(corpus('benign-text.txt'))('accepts benign text: %s', (line) => {
    expect(() => sanitize({ query: line })).not.toThrow();
    expect(() => sanitize(line)).not.toThrow();
  });

  test.each(corpus('sqli-attempts.txt'))('rejects SQL injection: %s', (line) => {
    const error = thrown(() => sanitize({ query: line }));
    expect(error).toBeInstanceOf(SecurityError);
    expect((error as SecurityError).rule).toBe('sqlInjection');
    expect((error as SecurityError).field).toBe('query');
  });

  test.each(corpus('traversal-attempts.txt'))('rejects path traversal: %s', (line) => {
    const error = thrown(() => sanitize({ file: line }));
    expect(error).toBeInstanceOf(SecurityError);
    expect(['pathTraversal', 'nullByte']).toContain((error as SecurityError).rule);
    expect((error as SecurityError).field).toBe('file');
  });
});

describe('createSanitizer', () => {
  it('accepts an empty options object like undefined', () => {
    expect(() => createSanitizer({})({ q: SQLI })).toThrow(SecurityError);
  });

  it('ignores non-string primitives', () => {
    const sanitize = createSanitizer(undefined);
    expect(() => sanitize({ a: 1, b: true, c: null, d: undefined, e: 10n, f: Symbol('x') })).not.toThrow();
    expect(() => sanitize(42)).not.toThrow();
    expect(() => sanitize(undefined)).not.toThrow();
  });

  it('reports a top-level string as (input)', () => {
    const error = thrown(() => createSanitizer(undefined)(SQLI)) as SecurityError;
    expect(error.field).toBe(ROOT_FIELD);
    expect(error.message).toBe(
      `Input field '(input)' rejected by security rule 'sqlInjection': a quote closes a SQL string literal and is followed by SQL syntax`,
    );
    expect(error.message).not.toContain(SQLI);
  });

  it('names the nested field, array indices included', () => {
    const sanitize = createSanitizer(undefined);
    const error = thrown(() => sanitize({ filters: [{ name: SQLI }], page: 1 })) as SecurityError;
    expect(error.field).toBe('filters.0.name');
    expect(error.rule).toBe('sqlInjection');
    expect(error.code).toBe('SECURITY');
    expect(thrown(() => sanitize({ a: { b: [[1, { c: TRAVERSAL }]] } }))).toMatchObject({ field: 'a.b.0.1.c', rule: 'pathTraversal' });
  });

  it('checks an object again on every call: what one call saw does not vouch for the next', () => {
    const sanitize = createSanitizer({}, {});
    const shared: Record<string, unknown> = { text: 'fine' };
    const deep = createSanitizer({ fields: { 'a.b': { rules: ['pathTraversal'] } } });
    expect(sanitize({ one: shared, two: [shared] })).toEqual([]);
    expect(deep({ a: { b: shared } })).toEqual([]);
    shared.text = SQLI;
    expect(thrown(() => sanitize({ one: shared }))).toMatchObject({ field: 'one.text', rule: 'sqlInjection' });
    expect(thrown(() => deep({ a: { b: shared } }))).toMatchObject({ field: 'a.b.text' });
    shared.text = 'fine again';
    expect(sanitize({ one: shared })).toEqual([]);
  });

  it('checks object keys, not only values', () => {
    const sanitize = createSanitizer(undefined);
    const error = thrown(() => sanitize({ meta: { [TRAVERSAL]: 'x' } })) as SecurityError;
    expect(error.field).toBe(`meta.${TRAVERSAL}`);
    expect(error.rule).toBe('pathTraversal');
    expect(error.message).toContain('(in a property name)');
  });

  describe('exclude', () => {
    it('skips an exact path and nothing else', () => {
      const sanitize = createSanitizer({ exclude: ['sql'] });
      expect(() => sanitize({ sql: SQLI, other: 'ok' })).not.toThrow();
      expect(thrown(() => sanitize({ sql: SQLI, other: SQLI }))).toMatchObject({ field: 'other' });
      expect(thrown(() => sanitize({ nested: { sql: SQLI } }))).toMatchObject({ field: 'nested.sql' });
    });

    it('skips everything under an excluded path, keys included', () => {
      const sanitize = createSanitizer({ exclude: ['raw'] });
      expect(() => sanitize({ raw: { [TRAVERSAL]: [SQLI, { deep: SQLI }] } })).not.toThrow();
    });

    it('matches array indices as segments', () => {
      const sanitize = createSanitizer({ exclude: ['items.0.name'] });
      expect(() => sanitize({ items: [{ name: SQLI }] })).not.toThrow();
      expect(thrown(() => sanitize({ items: [{ name: 'ok' }, { name: SQLI }] }))).toMatchObject({ field: 'items.1.name' });
      expect(thrown(() => sanitize({ items: [{ name: 'ok', note: SQLI }] }))).toMatchObject({ field: 'items.0.note' });
    });

    it('supports * as a one-segment wildcard', () => {
      const sanitize = createSanitizer({ exclude: ['items.*.name', '*.query'] });
      expect(() => sanitize({ items: [{ name: SQLI }, { name: TRAVERSAL }], a: { query: SQLI }, b: { query: SQLI } })).not.toThrow();
      expect(thrown(() => sanitize({ items: [{ name: SQLI, tag: SQLI }] }))).toMatchObject({ field: 'items.0.tag' });
      expect(thrown(() => sanitize({ items: { x: { y: { name: SQLI } } } }))).toMatchObject({ field: 'items.x.y.name' });
    });

    it('does not let a shared object escape checking through an excluded path', () => {
      const shared = { x: SQLI };
      const sanitize = createSanitizer({ exclude: ['a.x'] });
      expect(thrown(() => sanitize({ a: shared, b: shared }))).toMatchObject({ field: 'b.x' });
    });

    it('rejects malformed exclude entries', () => {
      expect(() => createSanitizer({ exclude: [''] })).toThrow(ConfigurationError);
      expect(() => createSanitizer({ exclude: ['a..b'] })).toThrow(/Sanitize\.exclude/);
      expect(() => createSanitizer({ exclude: [42 as unknown as string] })).toThrow(ConfigurationError);
      expect(() => createSanitizer({ exclude: 'a' as unknown as string[] })).toThrow(ConfigurationError);
    });
  });

  describe('rules', () => {
    it('runs only the selected built-in groups', () => {
      const nullOnly = createSanitizer({ rules: ['nullByte'] });
      expect(() => nullOnly({ q: SQLI, p: TRAVERSAL })).not.toThrow();
      expect(thrown(() => nullOnly({ q: 'a%00b' }))).toMatchObject({ rule: 'nullByte', field: 'q' });

      const sqlOnly = createSanitizer({ rules: ['sqlInjection'] });
      expect(() => sqlOnly({ p: TRAVERSAL })).not.toThrow();
      expect(() => sqlOnly({ q: SQLI })).toThrow(SecurityError);
    });

    it('turns checking off with an empty list and no custom rules', () => {
      const none = createSanitizer({ rules: [] });
      expect(() => none({ q: SQLI, p: TRAVERSAL, n: 'a\u0000' })).not.toThrow();
    });

    it('rejects unknown rule names with a ConfigurationError naming the option', () => {
      const error = thrown(() => createSanitizer({ rules: ['sqlInjection', 'xss' as never] })) as ConfigurationError;
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.option).toBe('Sanitize.rules');
      expect(error.message).toContain('xss');
    });
  });

  describe('customRules', () => {
    const noSecrets: SecurityRule = {
      name: 'noSecrets',
      reason: 'looks like an API key',
      matches: (value) => /\bsk-[a-z0-9]{8,}/i.test(value),
    };

    it('runs custom rules after the built-in ones and reports their name', () => {
      const sanitize = createSanitizer({ customRules: [noSecrets] });
      expect(thrown(() => sanitize({ note: 'key sk-abcdef123456' }))).toMatchObject({ rule: 'noSecrets', field: 'note' });
      expect(thrown(() => sanitize({ note: `sk-abcdef123456 ${SQLI}` }))).toMatchObject({ rule: 'sqlInjection' });
    });

    it('can be the only rules', () => {
      const sanitize = createSanitizer({ rules: [], customRules: [noSecrets] });
      expect(() => sanitize({ q: SQLI })).not.toThrow();
      expect(() => sanitize({ q: 'sk-abcdef123456' })).toThrow(/looks like an API key/);
    });

    it('checks keys with custom rules too', () => {
      const sanitize = createSanitizer({ rules: [], customRules: [noSecrets] });
      expect(thrown(() => sanitize({ 'sk-abcdef123456': 1 }))).toMatchObject({ rule: 'noSecrets' });
    });

    it('rejects malformed custom rules', () => {
      expect(() => createSanitizer({ customRules: [{ name: 'x', reason: 'y' } as never] })).toThrow(ConfigurationError);
      expect(() => createSanitizer({ customRules: [null as never] })).toThrow(/Sanitize\.customRules/);
      expect(() => createSanitizer({ customRules: [{ name: '', reason: 'y', matches: () => false }] })).toThrow(ConfigurationError);
    });

    it('survives a custom rule that re-enters the same sanitizer', () => {
      let sanitize: (input: unknown) => void = () => {};
      const reentrant: SecurityRule = {
        name: 'reentrant',
        reason: 'never matches',
        matches: (value) => {
          if (value === 'trigger') sanitize({ inner: 'fine' });
          return false;
        },
      };
      sanitize = createSanitizer({ rules: [], customRules: [reentrant] });
      expect(() => sanitize({ a: 'trigger', b: ['trigger', { c: 'x' }] })).not.toThrow();
    });
  });

  describe('structure', () => {
    it('does not hang on cycles and still finds an attack inside them', () => {
      const sanitize = createSanitizer(undefined);
      const node: Record<string, unknown> = { name: 'ok' };
      node.self = node;
      node.list = [node, { back: node }];
      expect(() => sanitize(node)).not.toThrow();
      node.bad = SQLI;
      expect(thrown(() => sanitize(node))).toMatchObject({ field: 'bad' });

      const withExclude = createSanitizer({ exclude: ['x.y'] });
      const loop: unknown[] = [];
      loop.push(loop, { x: loop });
      expect(() => withExclude({ x: loop })).not.toThrow();
    });

    it('checks each shared object once, so a wide DAG stays linear', () => {
      const calls: string[] = [];
      const counter: SecurityRule = { name: 'count', reason: '', matches: (v) => (calls.push(v), false) };
      const sanitize = createSanitizer({ rules: [], customRules: [counter] });
      let level: unknown = { leaf: 'v' };
      for (let i = 0; i < 30; i++) level = [level, level]; // 2^30 paths, 31 distinct objects
      sanitize(level);
      expect(calls).toEqual(['leaf', 'v']);
    });

    it(`accepts ${SANITIZE_MAX_DEPTH} nested levels and rejects one more with rule maxDepth`, () => {
      const sanitize = createSanitizer(undefined);
      const nest = (levels: number): unknown => {
        let value: unknown = 'leaf';
        for (let i = 0; i < levels; i++) value = [value];
        return value;
      };
      expect(() => sanitize(nest(SANITIZE_MAX_DEPTH))).not.toThrow();
      const error = thrown(() => sanitize(nest(SANITIZE_MAX_DEPTH + 1))) as SecurityError;
      expect(error).toBeInstanceOf(SecurityError);
      expect(error.rule).toBe('maxDepth');
      expect(error.field).toBe(Array(SANITIZE_MAX_DEPTH).fill('0').join('.'));
    });

    it('resets its state after a rejection', () => {
      const sanitize = createSanitizer(undefined);
      const shared = { q: SQLI };
      expect(() => sanitize({ a: shared })).toThrow(SecurityError);
      expect(thrown(() => sanitize({ b: shared }))).toMatchObject({ field: 'b.q' });
    });

    it('walks Map, Set, class instances, null-prototype objects and boxed strings', () => {
      const sanitize = createSanitizer(undefined);
      class Dto {
        constructor(readonly query: string) {}
      }
      const bare = Object.assign(Object.create(null) as object, { q: SQLI });
      expect(thrown(() => sanitize({ m: new Map([['k', SQLI]]) }))).toMatchObject({ field: 'm.k' });
      expect(thrown(() => sanitize({ m: new Map([[TRAVERSAL, 1]]) }))).toMatchObject({ field: `m.${TRAVERSAL}` });
      expect(thrown(() => sanitize({ s: new Set(['ok', SQLI]) }))).toMatchObject({ field: 's.1' });
      expect(thrown(() => sanitize(new Dto(SQLI)))).toMatchObject({ field: 'query' });
      expect(thrown(() => sanitize({ bare }))).toMatchObject({ field: 'bare.q' });
      expect(thrown(() => sanitize({ boxed: Object(SQLI) as object }))).toMatchObject({ field: 'boxed' });
    });

    it('skips objects that hold no user text', () => {
      const sanitize = createSanitizer(undefined);
      expect(() => sanitize({ when: new Date(0), re: /'; or 1=1--/, buf: Buffer.from(SQLI), p: Promise.resolve(SQLI) })).not.toThrow();
    });

    it('ignores inherited enumerable properties', () => {
      const sanitize = createSanitizer(undefined);
      const input = Object.create({ inherited: SQLI }) as Record<string, unknown>;
      input.own = 'fine';
      expect(() => sanitize(input)).not.toThrow();
    });
  });
});

describe('NFKC normalisation', () => {
  const sanitize = createSanitizer(undefined);

  it.each([
    ['full-width UNION SELECT', '1 ＵＮＩＯＮ ＳＥＬＥＣＴ null--', 'sqlInjection'],
    ['full-width quote and OR', 'admin＇ ｏｒ １＝１--', 'sqlInjection'],
    ['two-dot leader and full-width slash', '‥／‥／etc/passwd', 'pathTraversal'],
  ])('catches %s like its ASCII form', (_name, value, rule) => {
    expect(thrown(() => sanitize({ q: value }))).toMatchObject({ rule, field: 'q' });
  });

  it('passes ſelect 1 (NFKC: "select 1", which has no SQL syntax), where the Python original refuses it', () => {
    expect(() => sanitize({ q: 'ſelect 1' })).not.toThrow();
    expect(() => createSanitizer({ rules: ['legacySql'] })({ q: 'ſelect 1' })).toThrow(SecurityError);
  });

  it('passes accented prose unchanged', () => {
    expect(() => sanitize({ q: 'Translate "l\'été dernier" — déjà vu, naïve café' })).not.toThrow();
  });
});

describe('fields: per-field rules and confinement', () => {
  it('adds rules to one field and what is under it, not to its siblings', () => {
    const sanitize = createSanitizer({ fields: { body: { rules: ['script'] }, 'items.*.html': { rules: ['script'] } } });
    expect(thrown(() => sanitize({ body: '<script>x</script>' }))).toMatchObject({ field: 'body', rule: 'script' });
    expect(thrown(() => sanitize({ body: { nested: ['<img src=x onerror=y>'] } }))).toMatchObject({
      field: 'body.nested.0',
      rule: 'script',
    });
    expect(thrown(() => sanitize({ items: [{ html: 'ok' }, { html: 'javascript:alert(1)' }] }))).toMatchObject({ field: 'items.1.html' });
    expect(() => sanitize({ title: '<script>x</script>', items: [{ text: '<script>' }] })).not.toThrow();
  });

  it('keeps the per-field rules when a shared object is reached through another path first', () => {
    const shared = { html: '<script>x</script>' };
    const sanitize = createSanitizer({ fields: { body: { rules: ['script'] } } });
    expect(thrown(() => sanitize({ other: shared, body: shared }))).toMatchObject({ field: 'body.html', rule: 'script' });
  });

  it('returns confined fields for confinement instead of running pathTraversal on them', () => {
    const confine = { root: '/srv/docs' };
    const sanitize = createSanitizer({ fields: { path: { confine }, 'files.*': { confine } } });
    expect(sanitize({ path: '/srv/docs/a/../b.md', files: ['x.md', 'y.md'], other: 1 })).toEqual([
      { field: 'path', value: '/srv/docs/a/../b.md', confine },
      { field: 'files.0', value: 'x.md', confine },
      { field: 'files.1', value: 'y.md', confine },
    ]);
    // Other rules still apply to a confined field, and pathTraversal to every other field.
    expect(thrown(() => sanitize({ path: "x' or 1=1 --" }))).toMatchObject({ field: 'path', rule: 'sqlInjection' });
    expect(thrown(() => sanitize({ path: 'a.md', note: '../../etc/passwd' }))).toMatchObject({ field: 'note', rule: 'pathTraversal' });
    expect(sanitize({ other: 'x' })).toEqual([]);
  });

  it('rejects malformed field options with a ConfigurationError naming them', () => {
    expect(() => createSanitizer({ fields: { 'a..b': {} } })).toThrow(/Sanitize\.fields/);
    expect(() => createSanitizer({ fields: { a: { rules: ['xss' as never] } } })).toThrow(/Sanitize\.fields\.a\.rules/);
    expect(() => createSanitizer({ fields: { a: { confine: { root: '' } } } })).toThrow(/Sanitize\.fields\.a\.confine\.root/);
    expect(() => createSanitizer({ fields: { a: { confine: { root: '/x', extensions: ['.a/b'] } } } })).toThrow(/extensions/);
    expect(() => createSanitizer({ fields: { a: { confne: {} } as never } })).toThrow(/Sanitize\.fields\.a\.confne/);
  });
});

describe('defaults', () => {
  it('runs the given default rules when @Sanitize names none, and the named ones otherwise', () => {
    const low = createSanitizer({}, { rules: ['pathTraversal', 'nullByte'] });
    expect(() => low({ q: SQLI })).not.toThrow();
    expect(() => low({ q: TRAVERSAL })).toThrow(SecurityError);
    expect(() => createSanitizer({ rules: ['sqlInjection'] }, { rules: ['nullByte'] })({ q: SQLI })).toThrow(SecurityError);
  });
});
