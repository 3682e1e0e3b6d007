/**
 * A small SQL lexer for the break-out rule: it reads a bounded number of tokens from a position (right after a
 * quote that may close a literal), so the rule can ask "is what follows SQL syntax?" with a grammar instead of
 * word lists. Bounded on purpose: at most `MAX_TOKENS` tokens and `MAX_SPAN` characters per call, so every call
 * costs a constant and a string full of quotes stays linear to check.
 */

/** Token kinds (plain numbers: a `const enum` does not survive per-file transpilation). */
export const Tok = {
  Word: 0,
  Number: 1,
  /** A complete quoted literal ('…' or "…"). */
  String: 2,
  /** A quote whose literal runs to the end of the input: the caller's own closing quote will end it. */
  OpenString: 3,
  /** `=`, `<`, `>`, `<=`, `>=`, `<>`, `!=`. */
  Compare: 4,
  LParen: 5,
  RParen: 6,
  Comma: 7,
  Semicolon: 8,
  /** `--` or `#` followed by a space or the end, or `/*`: the rest of the query is commented out. */
  Comment: 9,
  /** `||` (concatenation, or OR in MySQL) and `&&`. */
  Concat: 10,
  /** Any other character. */
  Other: 11,
  End: 12,
} as const;
/** A token kind. */
export type Tok = (typeof Tok)[keyof typeof Tok];

/**
 * One token: its kind; for words the lower-cased text (empty for other kinds, and for an empty literal
 * `''`, whose String token has text `''` while a non-empty one has `'…'`); `spaced` when blanks or a comment
 * precede it (`sleep(` is a call, "more (see above)" is prose).
 */
export interface Token {
  readonly kind: Tok;
  readonly text: string;
  readonly spaced: boolean;
}

/** Most tokens read after one quote. */
export const MAX_TOKENS = 48;
/** Most characters read after one quote. */
export const MAX_SPAN = 1024;
/** Longest literal read as a String token (the old rule's bound, kept so long quotations stay prose). */
const MAX_LITERAL = 256;
/** Longest word kept as text (`procedure`); longer words are never the keywords the grammar looks for. */
const MAX_WORD = 9;

const token = (kind: Tok, text: string, spaced: boolean): Token => ({ kind, text, spaced });
const SIMPLE: Readonly<Record<number, Tok>> = { 40: Tok.LParen, 41: Tok.RParen, 44: Tok.Comma, 59: Tok.Semicolon };

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 160;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95 || c === 36 || c === 64;
}

/**
 * The tokens of `value` from `start`, read lazily: `at(k)` lexes only as far as the k-th token, so a grammar
 * that rejects after two tokens costs two tokens. Whitespace and closed `/* … *\/` comments are skipped like
 * SQL skips them (`OR/**\/1=1`); an unclosed `/*` is a Comment token. Reading stops at `MAX_TOKENS`, at
 * `MAX_SPAN` characters, or at the end (an End token).
 */
export class TokenStream {
  private readonly tokens: Token[] = [];
  private i: number;
  private done = false;
  private readonly limit: number;

  constructor(
    private readonly value: string,
    start: number,
  ) {
    this.i = start;
    this.limit = Math.min(value.length, start + MAX_SPAN);
  }

  /** The k-th token, or undefined past what is read (the span or token bound). */
  at(k: number): Token | undefined {
    while (this.tokens.length <= k && !this.done) this.lexOne();
    return this.tokens[k];
  }

  private push(kind: Tok, text: string, spaced: boolean, last = false): void {
    this.tokens.push(token(kind, text, spaced));
    if (last || this.tokens.length >= MAX_TOKENS) this.done = true;
  }

  private lexOne(): void {
    const { value, limit } = this;
    let i = this.i;
    const before = i;
    for (;;) {
      while (i < limit && isSpace(value.charCodeAt(i))) i++;
      if (i + 1 < limit && value.charCodeAt(i) === 47 && value.charCodeAt(i + 1) === 42) {
        const close = value.indexOf('*/', i + 2);
        if (close === -1 || close >= limit) break;
        i = close + 2;
        continue;
      }
      break;
    }
    const spaced = i !== before;
    if (i >= limit) {
      this.done = true;
      if (i >= value.length) this.tokens.push(token(Tok.End, '', spaced));
      return;
    }
    const c = value.charCodeAt(i);
    const next = i + 1 < value.length ? value.charCodeAt(i + 1) : -1;
    if (isWordChar(c) && !isDigit(c)) {
      let j = i + 1;
      // A qualified name (`users.id`) is one word.
      while (
        j < limit &&
        (isWordChar(value.charCodeAt(j)) || (value.charCodeAt(j) === 46 && j + 1 < limit && isWordChar(value.charCodeAt(j + 1))))
      )
        j++;
      this.push(Tok.Word, j - i <= MAX_WORD ? value.slice(i, j).toLowerCase() : '', spaced);
      i = j;
    } else if (isDigit(c) || (c === 46 && isDigit(next))) {
      let j = i + 1;
      while (j < limit && (isDigit(value.charCodeAt(j)) || value.charCodeAt(j) === 46)) j++;
      // "3rd", "10x": a number glued to letters is a word, not a SQL number.
      if (j < limit && isWordChar(value.charCodeAt(j))) {
        while (j < limit && isWordChar(value.charCodeAt(j))) j++;
        this.push(Tok.Word, '', spaced);
      } else this.push(Tok.Number, '', spaced);
      i = j;
    } else if (c === 39 || c === 34) {
      const close = value.indexOf(c === 39 ? "'" : '"', i + 1);
      if (close === -1) {
        this.push(Tok.OpenString, '', spaced);
        this.push(Tok.End, '', false, true);
      } else if (close - i - 1 > MAX_LITERAL) this.done = true;
      else this.push(Tok.String, close === i + 1 ? "''" : "'…'", spaced);
      i = close + 1;
    } else if ((c === 45 && next === 45) || c === 35) {
      // MySQL needs a blank after `--`; "10--12" and "'#general'" are prose.
      const width = c === 35 ? 1 : 2;
      const after = i + width < value.length ? value.charCodeAt(i + width) : -1;
      if (after === -1 || isSpace(after) || after === c) this.push(Tok.Comment, '', spaced, true);
      else this.push(Tok.Other, '', spaced);
      i += width;
    } else if (c === 47 && next === 42) {
      this.push(Tok.Comment, '', spaced, true); // an unclosed `/*` (closed ones were skipped above)
    } else if ((c === 124 && next === 124) || (c === 38 && next === 38)) {
      this.push(Tok.Concat, c === 124 ? '||' : '&&', spaced);
      i += 2;
    } else if (c === 61 || c === 60 || c === 62 || (c === 33 && (next === 61 || next === 60 || next === 62))) {
      this.push(Tok.Compare, '', spaced);
      i += next === 61 || next === 62 || (c === 33 && next === 60) ? 2 : 1;
    } else {
      this.push(SIMPLE[c] ?? Tok.Other, '', spaced);
      i++;
    }
    this.i = i;
  }
}

/** Every token `TokenStream` reads from `start` (for tests and debugging). */
export function readTokens(value: string, start: number): Token[] {
  const stream = new TokenStream(value, start);
  const all: Token[] = [];
  for (let k = 0; stream.at(k) !== undefined; k++) all.push(stream.at(k)!);
  return all;
}
