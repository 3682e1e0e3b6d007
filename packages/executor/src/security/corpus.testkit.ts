import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

// CI clones the repository with the shared corpus beside it (<repo>/../shared/security-corpus), and
// that copy wins so additions there are tested; a plain clone uses the copy vendored in test/.
const sharedDir = path.resolve(__dirname, '../../../..', '../shared/security-corpus');
const vendoredDir = path.resolve(__dirname, '../../test/security-corpus');
const corpusDir = existsSync(sharedDir) ? sharedDir : vendoredDir;

/** Non-empty lines of one file of the security corpus. */
export function corpus(file: 'benign-text.txt' | 'sqli-attempts.txt' | 'traversal-attempts.txt'): string[] {
  return readFileSync(path.join(corpusDir, file), 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.length > 0);
}
