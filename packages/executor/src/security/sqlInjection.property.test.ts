/**
 * The shared corpora are the floor: these properties build injections from grammar pieces (break-out,
 * connector or clause, payload, terminator, with SQL's blanks and case) and benign sentences from a word list
 * full of SQL words, quotes, dashes and semicolons, and assert detection and no false positive.
 * `FUZZ_RUNS` raises the number of runs (SECURITY.md reports a long run).
 */
import fc from 'fast-check';
import { createSanitizer } from './sanitizeInput';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);
const sanitize = createSanitizer(undefined);

function detected(value: string): boolean {
  try {
    sanitize({ query: value });
    return false;
  } catch {
    return true;
  }
}

/** A keyword in a random case (SQL keywords are case-insensitive). */
const kw = (word: string): fc.Arbitrary<string> =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
/** What SQL reads as a blank. */
const blank = fc.constantFrom(' ', '  ', '\t', '/**/', ' /* x */ ', '\n');
/** Joins pieces with random blanks. */
const spaced = (...pieces: fc.Arbitrary<string>[]): fc.Arbitrary<string> =>
  fc.tuple(...pieces.map((p) => fc.tuple(blank, p))).map((parts) => parts.map(([b, p]) => b + p).join(''));

const prefix = fc.constantFrom('', 'admin', '1', 'john.doe', 'x', 'O Brien', '42');
const breakout = fc.constantFrom("'", '"', "')", '")', "'))", "'  )");

/** SQL that makes the OR/AND a condition: comparisons, sub-queries, calls, booleans, a literal left open. */
const operand = fc.oneof(
  fc.constantFrom('1=1', '2>1', "'a'='a", '"x"="x', "''='", '1', 'null', 'true', "'1'<>'2", '1 between 0 and 2', "username like '%"),
  spaced(kw('sleep'), fc.constant('(5)')).map((s) => s.replace(/\s+\(/, '(')),
  fc.constantFrom(
    'pg_sleep(5)',
    'benchmark(5000000,md5(1))',
    'exists(select * from users)',
    'ascii(substring(version(),1,1))>52',
    'if(1=1,sleep(5),0)',
  ),
  fc.constantFrom(
    '(select 1)=1',
    '(SELECT COUNT(*) FROM users)>0',
    "(select substring(password,1,1) from users where id=1)='a",
    '(select 1 from dual)',
  ),
);
const connector = fc.oneof(kw('or'), kw('and'), fc.constant('||'), fc.constant('&&'));
const terminator = fc.constantFrom('', '--', '-- -', '#', '/*', ';--', ' --', '; --');
const clauseTerminator = fc.constantFrom('--', '-- -', '#', '/*', ';--', ' --', '; --', ' #');

/** break-out, connector, payload, terminator. */
const conditionInjection = fc.tuple(prefix, breakout, spaced(connector, operand), terminator).map(([p, b, c, t]) => p + b + c + t);

/** break-out, clause (ORDER BY, GROUP BY/HAVING, LIMIT/OFFSET, UNION SELECT, INTO OUTFILE, PROCEDURE), terminator. */
const clause = fc.oneof(
  spaced(kw('order'), kw('by'), fc.constantFrom('1', '3', '1,2', 'name desc', 'id asc, 2')),
  spaced(kw('group'), kw('by'), fc.constantFrom('id', 'users.id', '1'), kw('having'), fc.constantFrom('1=1', 'count(*)>1', "'a'='a")),
  spaced(kw('limit'), fc.constantFrom('1', '1,1', '1 offset 1', '10 OFFSET 0')),
  spaced(
    kw('union'),
    fc.constantFrom('', 'all', 'distinct'),
    kw('select'),
    fc.constantFrom('null', '1,2', 'username, password from users', '@@version'),
  ),
  spaced(kw('into'), kw('outfile'), fc.constant("'/tmp/x'")),
  spaced(kw('procedure'), fc.constant('analyse()')),
  spaced(kw('where'), fc.constantFrom('1=1', "'a'='a", 'sleep(5)')),
);
const clauseInjection = fc.tuple(prefix, breakout, clause, clauseTerminator).map(([p, b, c, t]) => p + b + c + t);

/** break-out, `;`, a second statement, terminator. */
const stackedInjection = fc
  .tuple(
    prefix,
    fc.constantFrom("'", '"', "')"),
    fc.constantFrom('; ', ';', ' ; '),
    fc.constantFrom(
      'DROP TABLE users',
      'select pg_sleep(5)',
      "exec xp_cmdshell('dir')",
      'shutdown',
      'update users set admin=1',
      'delete from users',
    ),
    terminator,
  )
  .map(([p, b, s, statement, t]) => p + b + s + statement + t);

/** A numeric field: no quote to close, the clause or sub-query follows the number. */
const numericClause = fc.oneof(
  spaced(kw('and'), fc.constantFrom('(select 1)=1', 'sleep(5)', 'id=1', '(SELECT COUNT(*) FROM users)>0')),
  spaced(kw('order'), kw('by'), fc.constantFrom('1', '3', '1,2', 'name desc')),
  spaced(kw('group'), kw('by'), fc.constantFrom('id', '1'), kw('having'), fc.constantFrom('1=1', 'count(*)>1', "'a'='a'")),
  spaced(kw('limit'), fc.constantFrom('1', '1,1', '1 offset 1')),
  spaced(kw('union'), fc.constantFrom('', 'all'), kw('select'), fc.constantFrom('null', '1,2', 'username, password from users')),
);
const numericInjection = fc.tuple(fc.constantFrom('1', '42', '1)', '-1'), numericClause, clauseTerminator).map(([n, c, t]) => n + c + t);

// Benign text: sentences made of SQL words, quotes (balanced or inside words), dashes and semicolons.
const noun = fc.constantFrom(
  'report',
  'table',
  'users',
  'drive',
  'order',
  'union',
  'meeting',
  'flight',
  'update',
  'files',
  'rows',
  'group',
  'limit',
  'key',
);
const name = fc.constantFrom("O'Brien", 'Sam', "D'Angelo", 'Anna', 'the admin');
const word = fc.constantFrom('timeout', 'refused', 'fine', 'done', 'select', 'or', 'drop', 'and', 'order by');
const n = fc.integer({ min: 1, max: 99 }).map(String);
const clauseOf = fc.oneof(
  fc.tuple(noun).map(([a]) => `please select the best ${a}`),
  fc.tuple(noun).map(([a]) => `drop me a note about the ${a}`),
  fc.tuple(noun).map(([a]) => `we need to union the ${a} lists and drop duplicates`),
  fc.tuple(noun).map(([a]) => `order the ${a} by date`),
  fc.tuple(noun, noun).map(([a, b]) => `group the ${a} by ${b}`),
  fc.tuple(n, noun).map(([k, a]) => `limit it to ${k} ${a}`),
  fc.tuple(noun).map(([a]) => `insert the CD and update the ${a} tomorrow`),
  fc.tuple(name, word, word).map(([who, a, b]) => `${who} said '${a}' or '${b}'`),
  fc.tuple(name, word).map(([who, a]) => `${who} wrote "${a}" in the margin`),
  fc.tuple(n, n).map(([a, b]) => `read pages ${a}--${b} of the report`),
  fc.tuple(name).map(([who]) => `${who}'s keyboard is broken; it's fine`),
  fc.tuple(noun).map(([a]) => `where is the ${a}? it's not there`),
  fc.constant('I want to exec a small script'),
  fc.tuple(noun).map(([a]) => `having fun with the ${a}`),
  fc.tuple(word).map(([a]) => `join the '#${a}' channel`),
  fc.tuple(word).map(([a]) => `use the '${a}' flag -- or not`),
  fc.tuple(noun, n).map(([a, k]) => `the ${a} of ${k} is 'done'; the rest is not`),
);
const separator = fc.constantFrom('; ', ' -- ', ', ', ' and ', ' or ', '. ', ' (see above) ');
const benignSentence = fc
  .tuple(
    fc.constantFrom('', 'Please ', 'OK, ', 'Note: '),
    fc.array(fc.tuple(clauseOf, separator), { minLength: 0, maxLength: 3 }),
    clauseOf,
    fc.constantFrom('.', '?', '!', '', ';', ' --'),
  )
  .map(([open, middle, last, end]) => open + middle.map(([c, s]) => c + s).join('') + last + end);

describe('SQL injection built from grammar pieces is detected', () => {
  it.each([
    ['break-out + connector + payload + terminator', conditionInjection],
    ['break-out + clause + terminator', clauseInjection],
    ['break-out + stacked statement', stackedInjection],
    ['numeric field + clause or sub-query', numericInjection],
  ])('%s', (_name, injection) => {
    fc.assert(
      fc.property(injection, (value) => detected(value)),
      { numRuns: RUNS },
    );
  });

  it('also inside benign text before it', () => {
    fc.assert(
      fc.property(benignSentence, fc.oneof(conditionInjection, clauseInjection), (text, injection) =>
        detected(`${text.replace(/['"]/g, '')} ${injection}`),
      ),
      { numRuns: RUNS },
    );
  });
});

describe('benign sentences with SQL words, quotes, dashes and semicolons pass', () => {
  it('no false positive', () => {
    fc.assert(
      fc.property(benignSentence, (value) => !detected(value)),
      { numRuns: RUNS },
    );
  });

  it('no false positive when many sentences make one long text', () => {
    fc.assert(
      fc.property(fc.array(benignSentence, { minLength: 2, maxLength: 30 }), (sentences) => !detected(sentences.join(' '))),
      { numRuns: Math.ceil(RUNS / 10) },
    );
  });
});
