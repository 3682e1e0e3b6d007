import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const README = join(__dirname, '../../../../README.md');
const EXAMPLE = join(__dirname, 'readmeExample.ts');

describe('README', () => {
  it("'Writing a tool' shows readmeExample.ts as it is (which tsc type-checks with the tests)", () => {
    const readme = readFileSync(README, 'utf8');
    const section = readme.slice(readme.indexOf('## Writing a tool'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(readFileSync(EXAMPLE, 'utf8'));
  });
});
