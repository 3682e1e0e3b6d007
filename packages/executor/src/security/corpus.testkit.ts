import { readFileSync } from 'node:fs';
import * as path from 'node:path';

// CI clones the repository with the shared corpus beside it: <repo>/../shared/security-corpus.
const corpusDir = path.resolve(__dirname, '../../../..', '../shared/security-corpus');

/** Non-empty lines of one file of the shared security corpus. */
export function corpus(file: 'benign-text.txt' | 'sqli-attempts.txt' | 'traversal-attempts.txt'): string[] {
  return readFileSync(path.join(corpusDir, file), 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.length > 0);
}
