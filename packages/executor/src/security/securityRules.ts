import { SECURITY_RULE_NAMES, type BuiltinSecurityRule, type SecurityRule } from '@aiecs/core';
import { SCRIPT_RULES, SCRIPT_GATE } from './scriptRules';
import { hasNumericBreakout, hasQuoteBreakout } from './sqlBreakout';

/**
 * A built-in check. `name` is the group (`'sqlInjection'`, …) so `SecurityError.rule` reads the same as the
 * `rules` option that enables it; `id` pinpoints the individual check for tests and debugging, and `reason`
 * (reported in the error message) says which pattern matched.
 */
export interface BuiltinRule extends SecurityRule {
  /** The group name, as accepted by `SanitizeOptions.rules`. */
  readonly name: BuiltinSecurityRule;
  /** `<group>.<check>`, e.g. `sqlInjection.quoteBreakout`; stable, never shown to end users. */
  readonly id: string;
}

// Design notes. These rules run on free text an AI agent passes to tools (queries, notes, messages), so
// every pattern requires SQL *syntax*, not SQL words: "select the drive", "drop duplicates", "10--12",
// "'timeout' or 'refused'" must pass. Each check is a separate, linear-time regex (no nested overlapping
// quantifiers) so a hostile input cannot trigger catastrophic backtracking. Deny-lists are a safety net,
// not a substitute for parameterised queries and path confinement in the tools themselves.

/** A run of whitespace and/or inline comments, which SQL treats alike (`UNION/**\/SELECT`). */
const WS = String.raw`(?:\s|\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\/)`;

/** A table/column name as written in SQL, quoted or bracketed. */
const IDENT = String.raw`[\w.\[\]\x60"]+`;

function regexRule(group: BuiltinSecurityRule, check: string, reason: string, pattern: RegExp): BuiltinRule {
  return Object.freeze({ name: group, id: `${group}.${check}`, reason, matches: (value: string) => pattern.test(value) });
}

/** SQL injection checks, applied to every string of the input. */
export const SQL_INJECTION_RULES: readonly BuiltinRule[] = Object.freeze([
  Object.freeze<BuiltinRule>({
    name: 'sqlInjection',
    id: 'sqlInjection.quoteBreakout',
    reason: 'a quote closes a SQL string literal and is followed by SQL syntax',
    matches: hasQuoteBreakout,
  }),
  Object.freeze<BuiltinRule>({
    name: 'sqlInjection',
    id: 'sqlInjection.numericBreakout',
    reason: 'a number is followed by SQL syntax that ends the query',
    matches: hasNumericBreakout,
  }),
  regexRule(
    'sqlInjection',
    'tautology',
    'an always-true SQL condition (OR 1=1)',
    new RegExp(String.raw`\b(?:or|and)${WS}+\(*(['"]?)(\w+)\1\)*\s*=\s*\(*\1\2(?:\1|(?!\w))`, 'i'),
  ),
  regexRule(
    'sqlInjection',
    'booleanComment',
    'a boolean SQL condition followed by a comment (OR TRUE--)',
    new RegExp(String.raw`\b(?:or|and)${WS}+(?:true|false)(?:--|#|\/\*|\s*(?:--|#|\/\*)\s*$)`, 'i'),
  ),
  regexRule(
    'sqlInjection',
    'stackedStatement',
    'a second SQL statement after a semicolon',
    new RegExp(
      String.raw`;${WS}*(?:` +
        String.raw`drop\s+(?:table|database|schema|view|index|user)\s+(?:if\s+exists\s+)?${IDENT}\s*(?:;|--|#|\/\*|$|cascade\b)` +
        String.raw`|delete\s+from\s+${IDENT}\s*(?:where\b|;|--|#|$)` +
        String.raw`|insert\s+into\s+${IDENT}\s*(?:\(|values\b|select\b)` +
        String.raw`|update\s+${IDENT}\s+set\s+${IDENT}\s*=` +
        String.raw`|truncate\s+table\b|alter\s+(?:table|user|database)\s+${IDENT}\s+\w` +
        String.raw`|create\s+(?:table|user|database|procedure|function|trigger)\s+(?:if\s+not\s+exists\s+)?${IDENT}\s*(?:\(|as\b|identified\b|$)` +
        String.raw`|exec(?:ute)?(?:\s+(?:xp_|sp_|master\.)|\s*\()` +
        String.raw`|declare\s+@|shutdown\s*(?:with\s+nowait\s*)?(?:;|--|#|$)` +
        String.raw`|select\s+(?:\*|@@)` +
        ')',
      'i',
    ),
  ),
  regexRule(
    'sqlInjection',
    'unionSelect',
    'a UNION SELECT that appends rows from another query',
    new RegExp(String.raw`\bunion${WS}+(?:(?:all|distinct)${WS}+)?select${WS}+(?:\*|null\b|@@|[^\s,]+\s*(?:,|from\b|--|#|\/\*|$))`, 'i'),
  ),
  regexRule(
    'sqlInjection',
    'timeDelay',
    'a time-delay SQL function used for blind injection',
    /\b(?:sleep\(\s*\d+(?:\.\d+)?\s*\)|pg_sleep\s*\(|benchmark\(\s*\d|waitfor\s+delay\s+['"])/i,
  ),
  regexRule(
    'sqlInjection',
    'commentedQuote',
    'an inline SQL comment hiding a quote',
    // Letters are excluded so prose comments such as "/* don't touch */" pass; the first class also excludes
    // quotes, which leaves the engine a single way to match (no quadratic backtracking on long quote runs).
    /\/\*[^a-z*'"]*['"][^a-z*]*\*\//i,
  ),
]);

/** Path traversal checks: anything that can leave the directory a tool resolves relative paths against. */
export const PATH_TRAVERSAL_RULES: readonly BuiltinRule[] = Object.freeze([
  regexRule('pathTraversal', 'dotDotSegment', 'a ".." path segment', /(?:^|[\\/])\.\.(?:[\\/;]|$)/),
  regexRule(
    'pathTraversal',
    'encodedSeparator',
    'a percent-encoded dot, slash or backslash (or an overlong UTF-8 form of one)',
    /%(?:2e|2f|5c|25(?:2e|2f|5c)|c0%(?:ae|af)|c1%(?:9c|1c)|e0%80%(?:ae|af)|u(?:002e|002f|005c|2215|2216|ff0e))/i,
  ),
  regexRule(
    'pathTraversal',
    'absolutePath',
    'an absolute path',
    // "/etc/passwd" or a lone "/flag.txt", but not a chat-style "/summarise this" or "/* note */".
    /^(?:[\\/](?:[^\s\\/]*[\\/]|\S*$)|~[\\/]|[a-z]:[\\/])/i,
  ),
  regexRule('pathTraversal', 'uncPath', 'a UNC path or doubled backslash', /(?:^|[.\\/])\\\\/),
  regexRule('pathTraversal', 'fileUrl', 'a file: URL', /\bfile:[\\/]/i),
]);

/** NUL byte checks: a NUL truncates paths and strings in C-based code ("report.pdf\0.exe"). */
export const NULL_BYTE_RULES: readonly BuiltinRule[] = Object.freeze([
  regexRule(
    'nullByte',
    'nulCharacter',
    'a NUL character, raw or encoded (%00, \\0, \\x00, \\u0000)',
    // `\0` but not an octal escape such as `\012`.
    /\x00|%00|%u0000|\\(?:0(?![0-7]*[1-7])|x00|u0000|u\{0+\})/i,
  ),
]);

/**
 * The Python original's check, kept for users who want exactly its verdicts: any `;`, `--`, `/*` or the word
 * `select`, case-insensitively with Unicode case folding (so `ſelect`, with a long s, is refused as Python's
 * `re.IGNORECASE` refuses it). It refuses ordinary sentences and lets `' OR '1'='1` through; off by default.
 */
export const LEGACY_SQL_RULES: readonly BuiltinRule[] = Object.freeze([
  regexRule('legacySql', 'pythonOriginal', "a ';', '--', '/*' or the word SELECT (the Python original's rule)", /;|--|\/\*|select/iu),
]);

/** Every built-in check by group; `createSanitizer` reads `SanitizeOptions.rules` against these keys. */
export const BUILTIN_SECURITY_RULES: Readonly<Record<BuiltinSecurityRule, readonly BuiltinRule[]>> = Object.freeze({
  sqlInjection: SQL_INJECTION_RULES,
  legacySql: LEGACY_SQL_RULES,
  pathTraversal: PATH_TRAVERSAL_RULES,
  nullByte: NULL_BYTE_RULES,
  script: SCRIPT_RULES,
});

/** A cheap necessary condition for a group's rules to match: some of its `patterns` matches. */
export interface RuleGate {
  test(value: string): boolean;
  /** The regexes whose any match is the gate, so that several gates can be fused into one scan. */
  readonly patterns: readonly RegExp[];
  /** The same test without regexes, for long strings (see `gate`). */
  readonly longScan?: (value: string) => boolean;
}

/**
 * From this length on, native scans (`indexOf`, UTF-8 length) beat regexes per character: a gate with a
 * `longScan` uses it, and the sanitiser skips its fused screen (measured on the bench's 1 MB field).
 */
export const LONG_SCAN_CHARS = 256;

/**
 * A gate of `patterns`. `longScan`, when given, must answer exactly as the patterns do: it is used on
 * long strings, where `indexOf` (a native memchr) beats a regex character class several times over
 * (1 MB of prose here: 31 µs against 600 µs for `[\x00%\\]`, measured); a test checks both agree.
 */
function gate(patterns: readonly RegExp[], longScan?: (value: string) => boolean): RuleGate {
  const [only] = patterns;
  const byRegex = patterns.length === 1 ? (value: string) => only!.test(value) : (value: string) => patterns.some((p) => p.test(value));
  const test = longScan === undefined ? byRegex : (value: string) => (value.length >= LONG_SCAN_CHARS ? longScan(value) : byRegex(value));
  return { patterns, test, longScan };
}

const hasAny = (value: string, needles: readonly string[]): boolean => needles.some((needle) => value.includes(needle));

/**
 * A gate that matches whenever any of `gates` or `extra` would, in as few scans as the flags allow: a
 * string it does not match passes every group at the cost of one regex test instead of one per gate
 * (the sanitiser checks every string and key of every input). Patterns without `u` share one regex,
 * case-insensitive if any of them is: outside unicode mode, case folding never maps a non-ASCII
 * character to ASCII, so adding `i` only makes a pattern match more, and the fused regex stays a
 * necessary condition. Patterns with `u` keep their own (under `iu`, U+212A KELVIN SIGN folds to `k`, so
 * `[^\x00-\x7f]` would stop matching it). A test checks the fused gates on the corpora.
 * `null` when a gate is missing (custom rules run on every string).
 */
export function fuseGates(gates: readonly (RuleGate | null)[], extra: readonly RegExp[] = []): RuleGate | null {
  const patterns: RegExp[] = [...extra];
  for (const g of gates) {
    if (g === null) return null;
    patterns.push(...g.patterns);
  }
  const byFlags = new Map<string, RegExp[]>();
  for (const p of patterns) {
    const flags = p.unicode ? p.flags.replace(/[gy]/g, '') : patterns.some((q) => !q.unicode && q.ignoreCase) ? 'i' : '';
    byFlags.set(flags, [...(byFlags.get(flags) ?? []), p]);
  }
  return gate([...byFlags].map(([flags, group]) => new RegExp(group.map((p) => `(?:${p.source})`).join('|'), flags)));
}

const SQL_GATE = /['"=#;(]|--|\/\*|union/i;
const LEADING_DIGIT = /^\s*-?\d/;
/** `SQL_GATE` without regexes: its characters and pairs (found by indexOf), and `union` in any case. */
const SQL_GATE_NEEDLES = ["'", '"', '=', '#', ';', '(', '--', '/*'];
const UNION = /union/i;

/**
 * Cheap necessary conditions of each group: a string the gate does not match cannot match any rule of the
 * group, so most strings (field names, short values) cost one regex test per group instead of one per rule.
 * A gate only ever skips work; a test checks it against every rule on the corpora and on random strings.
 */
export const BUILTIN_RULE_GATES: Readonly<Record<BuiltinSecurityRule, RuleGate>> = Object.freeze({
  // quotes (break-out, waitfor), `=` (tautology), `#`/`--`/`/*` (comments), `;` (stacked), `(` (delays), UNION,
  // and a leading number (the numeric break-out; a separate test keeps the first regex a fast scan).
  sqlInjection: gate([SQL_GATE, LEADING_DIGIT], (v) => hasAny(v, SQL_GATE_NEEDLES) || UNION.test(v) || LEADING_DIGIT.test(v)),
  legacySql: gate([/;|--|\/\*|select/iu]),
  // `..`, `%` (encodings), `:` (drive letters, file:), backslashes (UNC, Windows roots), leading `/` or `~`.
  pathTraversal: gate([/\.\.|[%:\\]|^[/~]/], (v) => hasAny(v, ['..', '%', ':', '\\']) || v[0] === '/' || v[0] === '~'),
  nullByte: gate([/[\x00%\\]/], (v) => hasAny(v, ['\0', '%', '\\'])),
  script: gate([SCRIPT_GATE], (v) => hasAny(v, ['<', ':', '&', '%', '\\'])),
});

/** Built-in group names, in the order they run (the same list `@Sanitize` checks option names against). */
export const BUILTIN_RULE_NAMES: readonly BuiltinSecurityRule[] = SECURITY_RULE_NAMES;
