import type { BuiltinRule } from './securityRules';

/**
 * The `script` rule group: HTML/JavaScript injection, for fields that are rendered into pages. Opt in per field
 * (`fields: { body: { rules: ['script'] } }`): free text in general legitimately contains `<` and `javascript:`.
 *
 * Encoded forms are decoded first (HTML character references with or without `;`, percent-encoding, `\xNN`,
 * `\uNNNN` and `\u{…}` escapes, twice for double encoding), and tab, newline, carriage return and NUL are
 * dropped, as browsers drop them inside a URL scheme (`java&#9;script:`). Every pattern is a linear scan: no
 * quantifier can re-scan what another one consumed (`[^<>]*` stops at the next tag).
 */

/** Named references that spell markup; anything else is left as written. */
const NAMED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  amp: '&',
  colon: ':',
  tab: '\t',
  newline: '\n',
  sol: '/',
  lpar: '(',
  rpar: ')',
  equals: '=',
  grave: '`',
  bsol: '\\',
  num: '#',
  semi: ';',
  excl: '!',
  percnt: '%',
  nbsp: ' ',
};

const ENCODED =
  /&#x([0-9a-f]{1,6});?|&#(\d{1,7});?|&([a-z]{2,8});?|%([0-9a-f]{2})|\\x([0-9a-f]{2})|\\u([0-9a-f]{4})|\\u\{([0-9a-f]{1,6})\}/gi;
const IGNORED_IN_SCHEMES = /[\t\n\r\0]/g;

function fromCode(code: number, written: string): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : written;
}

function decodeOnce(value: string): string {
  return value.replace(
    ENCODED,
    (written, hex?: string, dec?: string, name?: string, pct?: string, x?: string, u?: string, braced?: string) => {
      if (hex !== undefined) return fromCode(parseInt(hex, 16), written);
      if (dec !== undefined) return fromCode(parseInt(dec, 10), written);
      if (name !== undefined) return NAMED[name.toLowerCase()] ?? written;
      const code = pct ?? x ?? u ?? braced!;
      return fromCode(parseInt(code, 16), written);
    },
  );
}

/** `value` with its encodings undone (twice) and the characters browsers ignore in a scheme removed. */
export function decodeMarkup(value: string): string {
  let decoded = value;
  for (let round = 0; round < 2; round++) {
    ENCODED.lastIndex = 0;
    if (!ENCODED.test(decoded)) break;
    decoded = decodeOnce(decoded);
  }
  return decoded.replace(IGNORED_IN_SCHEMES, '');
}

/** The patterns, run on the decoded text. */
const PATTERNS: ReadonlyArray<readonly [check: string, reason: string, pattern: RegExp]> = [
  ['scriptTag', 'a <script> tag', /<\s*\/?\s*script\b/i],
  [
    'activeTag',
    'a tag that loads or runs content (iframe, object, embed, svg, meta, base, style, …)',
    /<\s*(?:iframe|i?frame(?:set)?|object|embed|applet|base|meta|link|svg|math|style|template|portal)\b/i,
  ],
  ['eventHandler', 'an event-handler attribute (onload=, onerror=, …) in a tag', /<[a-z!/][^<>]*[\s/"'\x60]on[a-z]{3,}\s*=/i],
  ['scriptUrl', 'a javascript:, vbscript: or livescript: URL', /(?:^|[^a-z0-9])(?:java|vb|live)script\s*:/i],
  [
    'dataUrl',
    'a data: URL carrying HTML or script',
    /\bdata\s*:\s*(?:text\/html|image\/svg|application\/(?:x-)?(?:javascript|ecmascript|xhtml))/i,
  ],
  ['cssExpression', 'a CSS expression() or behavior', /:\s*expression\s*\(|\bbehavior\s*:\s*url\s*\(|-moz-binding\s*:/i],
  ['srcdoc', 'an srcdoc attribute (an inline document)', /\bsrcdoc\s*=/i],
];

/**
 * One rule per pattern; each matches the text as written or decoded. The decoded text is computed once per
 * string and shared by the patterns (the last input is remembered: the rules of a group run one after another).
 */
function buildRules(): readonly BuiltinRule[] {
  let lastInput: string | undefined;
  let lastDecoded = '';
  const decoded = (value: string): string => {
    if (value !== lastInput) {
      lastDecoded = decodeMarkup(value);
      lastInput = value;
    }
    return lastDecoded;
  };
  return Object.freeze(
    PATTERNS.map(([check, reason, pattern]) =>
      Object.freeze<BuiltinRule>({
        name: 'script',
        id: `script.${check}`,
        reason,
        matches: (value: string) => pattern.test(value) || pattern.test(decoded(value)),
      }),
    ),
  );
}

/** HTML/JS injection checks (opt-in per field). */
export const SCRIPT_RULES: readonly BuiltinRule[] = buildRules();

/** A necessary condition of every script rule: markup, a scheme's colon, or an encoding that may hide one. */
export const SCRIPT_GATE = /[<:&%\\]/;
