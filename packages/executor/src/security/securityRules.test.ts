import type { BuiltinSecurityRule } from '@aiecs/core';
import { corpus } from './corpus.testkit';
import { DEFAULT_RULES } from './sanitizeInput';
import {
  BUILTIN_RULE_GATES,
  fuseGates,
  BUILTIN_RULE_NAMES,
  BUILTIN_SECURITY_RULES,
  LEGACY_SQL_RULES,
  NULL_BYTE_RULES,
  PATH_TRAVERSAL_RULES,
  SQL_INJECTION_RULES,
  type BuiltinRule,
} from './securityRules';

const benign = corpus('benign-text.txt');
const sqli = corpus('sqli-attempts.txt');
const traversal = corpus('traversal-attempts.txt');
/** The rules `@Sanitize()` runs by default (legacySql and script are opt-in and tested on their own). */
const allRules: readonly BuiltinRule[] = DEFAULT_RULES.flatMap((name) => BUILTIN_SECURITY_RULES[name]);
/** Every built-in rule, for the properties every rule must have (stateless, linear, gated). */
const everyRule: readonly BuiltinRule[] = BUILTIN_RULE_NAMES.flatMap((name) => BUILTIN_SECURITY_RULES[name]);

/** Ids of the built-in rules matching `value`, so a failing assertion names them. */
function matching(value: string, rules: readonly BuiltinRule[] = allRules): string[] {
  return rules.filter((rule) => rule.matches(value)).map((rule) => rule.id);
}

describe('shared corpus', () => {
  it('is present and not empty', () => {
    expect(benign.length).toBeGreaterThanOrEqual(30);
    expect(sqli.length).toBeGreaterThan(0);
    expect(traversal.length).toBeGreaterThan(0);
  });

  test.each(benign)('benign text matches no rule: %s', (line) => {
    expect(matching(line)).toEqual([]);
  });

  test.each(sqli)('SQL injection is caught by a sqlInjection rule: %s', (line) => {
    expect(matching(line, SQL_INJECTION_RULES)).not.toEqual([]);
  });

  test.each(traversal)('traversal is caught by a pathTraversal or nullByte rule: %s', (line) => {
    expect(matching(line, [...PATH_TRAVERSAL_RULES, ...NULL_BYTE_RULES])).not.toEqual([]);
  });
});

// Beyond the corpus: near misses that must pass (precision) and payload variants that must not.
const extraBenign = [
  "the students' and teachers' rooms are upstairs",
  "Use the '--' separator with npm",
  "Join the '#general' channel",
  "Meet me at 'Union Square' at noon",
  'Is it true or false -- I cannot tell',
  'I need more sleep (8 hours at least)',
  "/* don't touch this */",
  'Cancel the booking; drop table reservations for tonight',
  'Sure; create table of the results, please',
  'Clean up; delete from the list anything older than May',
  'The union select committee met today',
  '/summarise this thread',
  'Q: what is 2+2?',
  'use \\n for a newline',
  'attach the file: report.pdf',
  'Wait.. what? I think... maybe',
  "I'm 100% sure the ratio is 1:2",
  'see https://example.com/docs/guide for details',
  "The word 'and' is a conjunction",
  "'Or else,' he said",
  "'And 2 more' was the title",
  "'order by Friday' please",
  "Sort by 'order by date' -- asap",
  "I said 'limit 5' earlier; then 'where' came up",
  "He said 'hi'; then left",
  '10 or more (see above)',
  '5 or 6',
  '10 -- ten',
  '3 union members voted',
  "Tom's group by the lake; the kids' and parents' tables",
  'select 5 or 6 items',
  'order #1234; the customer is waiting',
  'The new version (v2) has a 10% discount',
  "It's 5 o'clock somewhere",
  'Email: anna@example.com; phone: +44 20 7946 0958',
  'if (a == b) { return x; }',
  'the ratio x=y holds for all x and y',
];

const extraAttacks: readonly [string, string][] = [
  ["admin'/**/or/**/1=1", 'sqlInjection.quoteBreakout'],
  ['1 UNION/**/SELECT null--', 'sqlInjection.unionSelect'],
  ["'; WAITFOR DELAY '0:0:5'--", 'sqlInjection.timeDelay'],
  ["x' AND 1=(SELECT COUNT(*) FROM users)--", 'sqlInjection.quoteBreakout'],
  ['1; DROP TABLE users', 'sqlInjection.stackedStatement'],
  ['1; DELETE FROM users WHERE 1=1', 'sqlInjection.stackedStatement'],
  ['1; INSERT INTO users (name) VALUES (1)', 'sqlInjection.stackedStatement'],
  ['1; CREATE TABLE t (a int)', 'sqlInjection.stackedStatement'],
  ['1; SHUTDOWN --', 'sqlInjection.stackedStatement'],
  ['1 and pg_sleep(5)', 'sqlInjection.timeDelay'],
  ['1 AND BENCHMARK(5000000,MD5(1))', 'sqlInjection.timeDelay'],
  ["' or username like '%", 'sqlInjection.quoteBreakout'],
  ['1 or 2=2', 'sqlInjection.tautology'],
  ['..;/admin', 'pathTraversal.dotDotSegment'],
  ['..', 'pathTraversal.dotDotSegment'],
  ['%252e%252e%252f', 'pathTraversal.encodedSeparator'],
  ['%u002e%u002e/', 'pathTraversal.encodedSeparator'],
  ['~/.ssh/id_rsa', 'pathTraversal.absolutePath'],
  ['/flag.txt', 'pathTraversal.absolutePath'],
  ['FILE:/etc/passwd', 'pathTraversal.fileUrl'],
  ['report.pdf\u0000.exe', 'nullByte.nulCharacter'],
  ['report.pdf\\x00.exe', 'nullByte.nulCharacter'],
  ['report.pdf%u0000.exe', 'nullByte.nulCharacter'],
  // Break-outs continued by a clause or a sub-query (the class, not the strings).
  ["1' ORDER BY 3--", 'sqlInjection.quoteBreakout'],
  ["1' order by 1, 2 desc #", 'sqlInjection.quoteBreakout'],
  ["' GROUP BY id HAVING 1=1 --", 'sqlInjection.quoteBreakout'],
  ["' group by a.b having 'x'='x", 'sqlInjection.quoteBreakout'],
  ["' LIMIT 1 OFFSET 1--", 'sqlInjection.quoteBreakout'],
  ["' limit 1,1#", 'sqlInjection.quoteBreakout'],
  ["' INTO OUTFILE '/tmp/x'--", 'sqlInjection.quoteBreakout'],
  ["' PROCEDURE ANALYSE()--", 'sqlInjection.quoteBreakout'],
  ["x' AND (SELECT 1 FROM users LIMIT 1)='1", 'sqlInjection.quoteBreakout'],
  ["' OR (SELECT COUNT(*) FROM users)>0 --", 'sqlInjection.quoteBreakout'],
  ["1' AND (SELECT SUBSTRING(password,1,1) FROM users WHERE id=1)='a", 'sqlInjection.quoteBreakout'],
  ["1' AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64--", 'sqlInjection.quoteBreakout'],
  ["' AND IF(1=1,SLEEP(5),0)--", 'sqlInjection.quoteBreakout'],
  ["' where 'a'='a", 'sqlInjection.quoteBreakout'],
  ['" or not 1=2 --', 'sqlInjection.quoteBreakout'],
  ["x'or'1'='1", 'sqlInjection.quoteBreakout'],
  ["O'Brien said x' or 1=1 --", 'sqlInjection.quoteBreakout'],
  ["'; SELECT pg_sleep(5); --", 'sqlInjection.quoteBreakout'],
  ['1 ORDER BY 3--', 'sqlInjection.numericBreakout'],
  ['1 AND (SELECT 1 FROM users)=1', 'sqlInjection.numericBreakout'],
  ['7 or sleep(5)', 'sqlInjection.numericBreakout'],
  ['1) union select null#', 'sqlInjection.numericBreakout'],
];

describe('precision beyond the corpus', () => {
  test.each(extraBenign)('passes: %s', (line) => {
    expect(matching(line)).toEqual([]);
  });

  test.each(extraAttacks)('catches %j with %s', (line, id) => {
    expect(matching(line)).toContain(id);
  });

  it('does not treat an octal escape such as \\012 as a NUL', () => {
    expect(matching('line\\012break')).toEqual([]);
  });
});

describe('rule objects', () => {
  it.each(BUILTIN_RULE_NAMES)('%s rules report the group as name and have unique <group>.<check> ids', (group) => {
    for (const rule of BUILTIN_SECURITY_RULES[group]) {
      expect(rule.name).toBe(group);
      expect(rule.id.startsWith(`${group}.`)).toBe(true);
      expect(rule.reason.length).toBeGreaterThan(0);
      expect(Object.isFrozen(rule)).toBe(true);
    }
  });

  it('has unique ids', () => {
    const ids = everyRule.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is stateless: repeated calls give the same answer', () => {
    for (const rule of everyRule) {
      for (const line of [...sqli, ...traversal, ...benign]) expect(rule.matches(line)).toBe(rule.matches(line));
    }
  });
});

describe('group gates', () => {
  // A deterministic pseudo-random generator, so a failure reproduces.
  function* randomStrings(count: number, seed: number): Generator<string> {
    const alphabet = [
      ...'\'"=#;()-/*%\\.:~ \u0000abcdefxou0123456789ANDORSELECTUNIONsleep',
      'or ',
      'and ',
      'union select ',
      '%2e',
      '%00',
      '\\0',
      '..',
      '/*',
      '*/',
      'file:/',
      'C:\\',
      '--',
    ];
    let state = seed;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < count; i++) {
      let s = '';
      const length = 1 + Math.floor(next() * 12);
      for (let j = 0; j < length; j++) s += alphabet[Math.floor(next() * alphabet.length)];
      yield s;
    }
  }

  const samples = [...benign, ...sqli, ...traversal, ...extraBenign, ...extraAttacks.map(([line]) => line), ...randomStrings(20_000, 42)];

  it.each(BUILTIN_RULE_NAMES)('the %s gate matches whenever one of its rules does', (group: BuiltinSecurityRule) => {
    const gate = BUILTIN_RULE_GATES[group];
    const missed = samples.filter((s) => !gate.test(s) && BUILTIN_SECURITY_RULES[group].some((rule) => rule.matches(s)));
    expect(missed).toEqual([]);
  });

  // The sanitiser scans each string once with the fused gate of its rule set (and NFKC's non-ASCII trigger)
  // and runs the groups only on a match: the fused regex must match wherever any of its parts does.
  const NON_ASCII = /[^\x00-\x7f]/;
  const ruleSets: BuiltinSecurityRule[][] = [
    ['sqlInjection', 'pathTraversal', 'nullByte'],
    [...BUILTIN_RULE_NAMES],
    ...BUILTIN_RULE_NAMES.map((name) => [name]),
  ];
  const unicodeSamples = [...samples, 'ＵＮＩＯＮ ＳＥＬＥＣＴ', '‥／etc', 'ſelect', 'caf\u00e9', '\ud800', 'K\u212a'];
  it.each(ruleSets.map((set) => [set.join('+'), set] as const))(
    'the fused gate of %s matches whenever one of its parts does',
    (_name, set) => {
      const fused = fuseGates(
        set.map((name) => BUILTIN_RULE_GATES[name]),
        [NON_ASCII],
      );
      expect(fused).not.toBeNull();
      const missed = unicodeSamples.filter(
        (s) => !fused!.test(s) && (NON_ASCII.test(s) || set.some((name) => BUILTIN_RULE_GATES[name].test(s))),
      );
      expect(missed).toEqual([]);
      // and it is not a match-everything regex
      expect(fused!.test('plain words only')).toBe(false);
    },
  );

  it.each(BUILTIN_RULE_NAMES)('the %s gate answers the same on long strings (its indexOf scan) as its regexes', (group) => {
    const { longScan, patterns } = BUILTIN_RULE_GATES[group];
    if (longScan === undefined) return;
    const padding = ' plain words'.repeat(30);
    const disagree = [...unicodeSamples, '/etc', '~/x', '  -1', 'UnIoN'].flatMap((s) =>
      [s, padding + s, s + padding].filter((text) => longScan(text) !== patterns.some((p) => p.test(text))),
    );
    expect(disagree).toEqual([]);
    expect(longScan(padding)).toBe(false);
  });

  it('is not fused when a group has no gate (custom rules run on every string)', () => {
    expect(fuseGates([BUILTIN_RULE_GATES.nullByte, null])).toBeNull();
  });
});

describe('resistance to catastrophic backtracking', () => {
  const n = 50_000;
  const hostile = [
    '/*' + "'".repeat(n),
    "'".repeat(n),
    ' or ' + 'a'.repeat(n) + '=b',
    "' or " + '('.repeat(n),
    "a' or b".repeat(n / 7),
    '\' or "x'.repeat(n / 7),
    "' or" + '/**/'.repeat(n / 4) + 'x',
    "' or /*" + '*'.repeat(n),
    'union select ' + 'a '.repeat(n / 2),
    '; drop table ' + 'a'.repeat(n) + ' x',
    '/' + 'a'.repeat(n) + ' b',
    '%c0'.repeat(n / 3),
    '\\0123'.repeat(n / 5),
    "'x' or ".repeat(n / 7),
    "x' order by ".repeat(n / 12),
    '<a '.repeat(n / 3),
    '<a onx'.repeat(n / 6),
    '&#x3c;'.repeat(n / 6),
    'javascript'.repeat(n / 10),
    "a'b ".repeat(n / 4),
  ];

  it('checks 50 000-char hostile strings in linear time', () => {
    const started = process.hrtime.bigint();
    for (const value of hostile) for (const rule of everyRule) rule.matches(value);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    // Each takes ~1 ms; a quadratic pattern would take seconds.
    expect(elapsedMs).toBeLessThan(1_000);
  });
});

describe('legacySql: the Python original, kept verbatim', () => {
  const legacy = (value: string) => LEGACY_SQL_RULES.some((rule) => rule.matches(value));

  it.each(['Please select the best flight; I need it by Friday.', 'Read pages 10--12', 'She wrote /* TODO */', 'SELECT 1', 'ſelect 1'])(
    'refuses %s as the original did',
    (line) => {
      expect(legacy(line)).toBe(true);
    },
  );

  it.each(["' OR '1'='1", '../../etc/passwd', "admin' or 1=1"])('lets %s through as the original did', (line) => {
    expect(legacy(line)).toBe(false);
  });

  it('is off by default', () => {
    expect(DEFAULT_RULES).not.toContain('legacySql');
  });
});

describe('script (HTML/JS injection), opt-in', () => {
  const script = (value: string) => matching(value, BUILTIN_SECURITY_RULES.script);

  it.each([
    ['<script>alert(1)</script>', 'script.scriptTag'],
    ['<SCRIPT src=//evil.example/x.js>', 'script.scriptTag'],
    ['<img src=x onerror=alert(1)>', 'script.eventHandler'],
    ['<svg/onload=alert(1)>', 'script.activeTag'],
    ['<body onload = "steal()">', 'script.eventHandler'],
    ['javascript:alert(document.cookie)', 'script.scriptUrl'],
    ['  JaVaScRiPt:alert(1)', 'script.scriptUrl'],
    ['java\tscript:alert(1)', 'script.scriptUrl'],
    ['<a href="javascript:alert(1)">x</a>', 'script.scriptUrl'],
    ['data:text/html;base64,PHNjcmlwdD4=', 'script.dataUrl'],
    ['<iframe srcdoc="<b>x</b>">', 'script.activeTag'],
    ['<div style="width: expression(alert(1))">', 'script.cssExpression'],
    // Encoded forms.
    ['&lt;script&gt;alert(1)&lt;/script&gt;', 'script.scriptTag'],
    ['&#60;script&#62;', 'script.scriptTag'],
    ['&#x3C;img src=x onerror=alert(1)&#x3E;', 'script.eventHandler'],
    ['%3Cscript%3E', 'script.scriptTag'],
    ['%253Cscript%253E', 'script.scriptTag'],
    ['\\u003cscript\\u003e', 'script.scriptTag'],
    ['\\x3cscript\\x3e', 'script.scriptTag'],
    ['java&#x09;script:alert(1)', 'script.scriptUrl'],
    ['javascript&colon;alert(1)', 'script.scriptUrl'],
  ])('catches %j with %s', (value, id) => {
    expect(script(value.replace('\\t', '\t'))).toContain(id);
  });

  it.each([
    'a < b and c > d',
    'I <3 this',
    'Use the onload event (see the docs)',
    'Price: 5 €; 10% off',
    'See https://example.com/a?b=1&c=2',
    'the expression (x + 1) is positive',
    'AT&T; R&D',
  ])('passes %s', (value) => {
    expect(script(value)).toEqual([]);
  });
});
