import { TokenStream, Tok, type Token } from './sqlTokens';

/**
 * The SQL break-out rule: a quote that *closes* a string literal (in the query the input is pasted into) and
 * is followed by SQL syntax. The syntax is recognised by a small grammar over `readTokens` — a connector with
 * a SQL operand (`OR 1=1`, `AND (SELECT …)`, `OR sleep(5)`), a clause (`ORDER BY 3--`, `GROUP BY id HAVING
 * 1=1--`, `LIMIT 1 OFFSET 1--`, `UNION SELECT`, `INTO OUTFILE`, `PROCEDURE ANALYSE`, `WAITFOR DELAY`), or a
 * terminator (`;`, `--`, `#`, `/*`, `||`) — never by SQL words alone: "select the drive" has no quote that
 * breaks out, and "'order by Friday' please" has a clause that never ends the query.
 *
 * A numeric field has no quote to close: a value that starts with a number is checked as if a break-out
 * preceded it, with a stricter grammar (`1 ORDER BY 3--`, `1 AND (SELECT …)=1`; "5 or 6" and "10 -- ten"
 * pass).
 */

/** How much evidence a tail needs: after a quote, or after a leading number (no quote, so stricter). */
type Context = 'quote' | 'number';

/** Tokens read after the break-out, with a cursor. */
class Tail {
  private at = 0;
  constructor(private readonly tokens: TokenStream) {}

  peek(offset = 0): Token | undefined {
    return this.tokens.at(this.at + offset);
  }
  kind(offset = 0): Tok | undefined {
    return this.tokens.at(this.at + offset)?.kind;
  }
  word(offset = 0): string | undefined {
    const t = this.tokens.at(this.at + offset);
    return t?.kind === Tok.Word ? t.text : undefined;
  }
  skip(count = 1): void {
    this.at += count;
  }
  /** Skips a balanced `( … )` group starting here; false when it does not close within the tokens read. */
  skipGroup(): boolean {
    let depth = 0;
    for (let i = this.at, t = this.tokens.at(i); t !== undefined; t = this.tokens.at(++i)) {
      const k = t.kind;
      if (k === Tok.LParen) depth++;
      else if (k === Tok.RParen && --depth === 0) {
        this.at = i + 1;
        return true;
      }
    }
    return false;
  }
  /** True when the group starting here contains `select` (a sub-query). */
  groupHasSelect(): boolean {
    for (let i = this.at, t = this.tokens.at(i); t !== undefined; t = this.tokens.at(++i)) {
      if (t.kind === Tok.Word && t.text === 'select') return true;
      if (t.kind !== Tok.LParen) return false;
    }
    return false;
  }
}

// Not `and`/`or`: "'or' or 'and'" quotes two words; a literal followed by a connector is not yet SQL.
const CLAUSE_END_WORDS = new Set(['like', 'between', 'rlike', 'regexp', 'in', 'is']);
const COMPARISON_WORDS = new Set(['like', 'between', 'rlike', 'regexp', 'is', 'in']);
const BOOLEANS = new Set(['true', 'false', 'null']);

/** After an operand: what shows it ends a condition (comparison, comment, end, …). */
function endsClause(tail: Tail): boolean {
  const k = tail.kind();
  if (k === Tok.Compare || k === Tok.Comment || k === Tok.Semicolon || k === Tok.Concat || k === Tok.End) return true;
  const w = tail.word();
  return w !== undefined && CLAUSE_END_WORDS.has(w);
}

/** A comparison follows: `=`, `<>`, `LIKE`, `BETWEEN`, `IN (`, `IS [NOT] NULL`. */
function comparisonFollows(tail: Tail): boolean {
  if (tail.kind() === Tok.Compare) return true;
  const w = tail.word();
  if (w === undefined || !COMPARISON_WORDS.has(w)) return false;
  if (w === 'in') return tail.kind(1) === Tok.LParen;
  if (w === 'is') return tail.word(1) === 'null' || (tail.word(1) === 'not' && tail.word(2) === 'null');
  return true;
}

/**
 * A function call: `word(` with nothing between (`sleep(5)`, `exists(`), or with blanks when its first argument
 * is a number, a literal or a sub-query (`pg_sleep (5)`); "more (see above)" is not one.
 */
function isCall(tail: Tail): boolean {
  if (tail.kind() !== Tok.Word || tail.kind(1) !== Tok.LParen) return false;
  if (tail.peek(1)!.spaced === false) return true;
  const first = tail.peek(2);
  return (
    first !== undefined && (first.kind === Tok.Number || first.kind === Tok.String || (first.kind === Tok.Word && first.text === 'select'))
  );
}

/**
 * The right-hand side of an injected `OR`/`AND`: a literal or number that is compared or ends the clause, a
 * function call, a column comparison, a boolean, a parenthesised literal or sub-query, `SELECT`, `NOT …`.
 * Plain words do not qualify ("the students' and teachers' rooms").
 */
function isOperand(tail: Tail, context: Context): boolean {
  const t = tail.peek();
  if (t === undefined) return false;
  switch (t.kind) {
    case Tok.String:
      if (context === 'quote' && t.text === "''") return true;
      tail.skip();
      return context === 'quote' ? endsClause(tail) : comparisonFollows(tail);
    case Tok.Number:
      tail.skip();
      return context === 'quote' ? endsClause(tail) : comparisonFollows(tail);
    case Tok.LParen: {
      if (tail.groupHasSelect()) return true;
      let depth = 0;
      while (tail.kind() === Tok.LParen) {
        tail.skip();
        depth++;
      }
      const inner = tail.kind();
      if (context === 'quote') return depth > 0 && (inner === Tok.String || inner === Tok.OpenString || inner === Tok.Number);
      return isOperand(tail, context);
    }
    case Tok.Word: {
      const w = t.text;
      if (w === 'select') return true;
      if (isCall(tail)) return true;
      if (w === 'not') {
        tail.skip();
        return isOperand(tail, context);
      }
      tail.skip();
      if (BOOLEANS.has(w) && context === 'quote') {
        const k = tail.kind();
        return (
          k === Tok.Comment ||
          k === Tok.Semicolon ||
          k === Tok.RParen ||
          k === Tok.End ||
          k === Tok.Compare ||
          tail.word() === 'or' ||
          tail.word() === 'and'
        );
      }
      return comparisonFollows(tail);
    }
    default:
      return false;
  }
}

/** One atom of a condition (`1`, `'a'`, `id`, `count(*)`, `( … )`); false when none is here. */
function skipAtom(tail: Tail): boolean {
  const k = tail.kind();
  if (k === Tok.Number || k === Tok.String || k === Tok.OpenString) {
    tail.skip();
    return true;
  }
  if (k === Tok.LParen) return tail.skipGroup();
  if (k === Tok.Word) {
    const call = isCall(tail);
    tail.skip();
    return call ? tail.skipGroup() : true;
  }
  return false;
}

/** The query is ended here: a comment or a statement separator (the caller's closing quote is then harmless). */
function terminates(tail: Tail): boolean {
  const k = tail.kind();
  return k === Tok.Comment || k === Tok.Semicolon;
}

/**
 * A condition (`HAVING 1=1`, `WHERE 'a'='a`, `WHERE sleep(5)`) that ends the query: followed by a terminator,
 * another clause, or ending in a literal left open for the caller's own closing quote (`… HAVING 'a'='a`).
 */
function conditionEndsQuery(tail: Tail, context: Context): boolean {
  const call = isCall(tail);
  if (!skipAtom(tail)) return false;
  let compared = call;
  if (comparisonFollows(tail)) {
    while (tail.word() !== undefined && COMPARISON_WORDS.has(tail.word()!)) tail.skip();
    if (tail.kind() === Tok.Compare) tail.skip();
    if (tail.kind() === Tok.OpenString) return context === 'quote';
    if (!skipAtom(tail)) return false;
    compared = true;
  }
  if (!compared) return false;
  const w = tail.word();
  if (w === 'and' || w === 'or') {
    tail.skip();
    return isOperand(tail, context);
  }
  return clauseChainEnds(tail, context);
}

/** `ORDER BY 1, name DESC` / `GROUP BY id`: a list of columns or positions. */
function skipByList(tail: Tail): boolean {
  if (tail.word(1) !== 'by') return false;
  tail.skip(2);
  for (;;) {
    if (!skipAtom(tail)) return false;
    const w = tail.word();
    if (w === 'asc' || w === 'desc') tail.skip();
    if (tail.kind() !== Tok.Comma) return true;
    tail.skip();
  }
}

/** After a clause: the query ends here (terminator), or another clause follows that ends it. */
function clauseChainEnds(tail: Tail, context: Context): boolean {
  if (terminates(tail)) return true;
  return clauseEndsQuery(tail, context);
}

/** A SQL clause starting here that ends the query (see `conditionEndsQuery` and `clauseChainEnds`). */
function clauseEndsQuery(tail: Tail, context: Context): boolean {
  switch (tail.word()) {
    case 'union': {
      tail.skip();
      const w = tail.word();
      if (w === 'all' || w === 'distinct') tail.skip();
      return tail.word() === 'select' || (tail.kind() === Tok.LParen && tail.groupHasSelect());
    }
    case 'into':
      return tail.word(1) === 'outfile' || tail.word(1) === 'dumpfile';
    case 'procedure':
      return tail.word(1) === 'analyse' || tail.word(1) === 'analyze';
    case 'waitfor':
      return tail.word(1) === 'delay' || tail.word(1) === 'time';
    case 'order':
    case 'group':
      return skipByList(tail) && clauseChainEnds(tail, context);
    case 'having':
    case 'where':
      tail.skip();
      return conditionEndsQuery(tail, context);
    case 'limit':
    case 'offset':
      tail.skip();
      if (tail.kind() !== Tok.Number) return false;
      tail.skip();
      if (tail.kind() === Tok.Comma || tail.word() === 'offset') {
        tail.skip();
        if (tail.kind() !== Tok.Number) return false;
        tail.skip();
      }
      return clauseChainEnds(tail, context);
    default:
      return false;
  }
}

/** Words a stacked statement starts with (after `';`). */
const STATEMENTS = new Set([
  'select',
  'insert',
  'update',
  'delete',
  'drop',
  'create',
  'alter',
  'truncate',
  'exec',
  'execute',
  'declare',
  'shutdown',
  'grant',
  'revoke',
  'waitfor',
  'union',
  'merge',
  'replace',
  'call',
  'set',
  'copy',
  'load',
  'handler',
  'begin',
  'commit',
  'rollback',
]);

/** After a `;`: the end of the query, a comment, or the first word of another statement ("'hi'; then" is prose). */
function startsStatement(tail: Tail): boolean {
  tail.skip();
  const k = tail.kind();
  if (k === Tok.End || k === Tok.Comment || k === Tok.Semicolon) return true;
  const w = tail.word();
  return w !== undefined && STATEMENTS.has(w);
}

/** True when `tokens` (read right after a break-out) continue the query as SQL. */
export function continuesAsSql(tokens: TokenStream, context: Context): boolean {
  const tail = new Tail(tokens);
  while (tail.kind() === Tok.RParen) tail.skip();
  const t = tail.peek();
  if (t === undefined) return false;
  if (context === 'quote' && (t.kind === Tok.Comment || (t.kind === Tok.Concat && t.text === '||'))) return true;
  if (t.kind === Tok.Semicolon) return context === 'quote' && startsStatement(tail);
  if (t.kind === Tok.Concat) {
    tail.skip();
    return isOperand(tail, context);
  }
  if (t.kind !== Tok.Word) return false;
  if (t.text === 'or' || t.text === 'and' || t.text === 'xor') {
    tail.skip();
    return isOperand(tail, context);
  }
  return clauseEndsQuery(tail, context);
}

/** What can follow a break-out quote: blanks and `)`, then a terminator, a connector or a clause keyword. */
const TAIL = String.raw`[\s)]*(?:[;#]|--|\/\*|\|\||&&|(?:x?or|and|order|group|having|where|limit|offset|union|into|procedure|waitfor)(?![\w$@]))`;
/** A letter or digit next to an apostrophe ("O'Brien", "l'été"; any non-ASCII character counts). */
const LETTER = String.raw`[0-9A-Za-z\u00AA-\uFFFF]`;

/**
 * Skips, natively, everything that cannot be a break-out: text without quotes, apostrophes inside words, and
 * whole quoted literals whose opening quote is not followed by a `TAIL` (the quotes inside a literal are its
 * content, so a literal's closing quote is never mistaken for an opening one: the parity is the engine's).
 * It stops at a quote that opens and is followed by a `TAIL`, or that opens a literal that never closes.
 * Every alternative starts with a different character class and none can re-scan what another consumed, so it
 * is linear; the `{0,1000}` bound keeps each call's backtracking stack small (the loop below resumes it).
 */
const SKIP = new RegExp(String.raw`(?:[^'"]+|(?<=${LETTER})'(?=${LETTER})(?!${TAIL})|'(?!${TAIL})[^']*'|"(?!${TAIL})[^"]*"){0,1000}`, 'iy');
const LETTER_AT = new RegExp(LETTER);

/**
 * True when a quote that closes the application's literal is followed by SQL syntax. Quotes pair up as SQL
 * pairs them (apostrophes inside words not counted): that is what separates `admin' or '1'='1` (the first quote
 * breaks out) from "grep for 'timeout' or 'refused'" (the quote before `or` ends a quotation).
 */
export function hasQuoteBreakout(value: string): boolean {
  let pos = 0;
  for (;;) {
    SKIP.lastIndex = pos;
    SKIP.test(value);
    if (SKIP.lastIndex > pos) {
      pos = SKIP.lastIndex;
      continue;
    }
    if (pos >= value.length) return false;
    // Stopped at a quote: check what follows it, then step over it (and its literal, if it opens one).
    if (continuesAsSql(new TokenStream(value, pos + 1), 'quote')) return true;
    const inWord = pos > 0 && LETTER_AT.test(value[pos - 1]!) && pos + 1 < value.length && LETTER_AT.test(value[pos + 1]!);
    const close = inWord ? -1 : value.indexOf(value[pos]!, pos + 1);
    pos = close === -1 ? pos + 1 : close + 1;
  }
}

/** A value that starts with a number (a numeric field's injection point). */
const LEADING_NUMBER = /^\s*-?\d+(?:\.\d+)?(?=[\s)(/])/;

/** True when a value starting with a number goes on as SQL (`1 ORDER BY 3--`, `1 AND (SELECT …)=1`). */
export function hasNumericBreakout(value: string): boolean {
  const m = LEADING_NUMBER.exec(value);
  return m !== null && continuesAsSql(new TokenStream(value, m[0].length), 'number');
}
