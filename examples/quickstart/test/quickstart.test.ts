import { runQuickstart } from '../src/quickstart';

describe('quickstart example', () => {
  it('shows a cache hit, a validation error, a security error, a recovered flaky call and a timeout', async () => {
    const lines: string[] = [];
    const metrics = await runQuickstart((line) => lines.push(line));
    expect(lines[0]).toContain('alpha (disk reads: 1)');
    expect(lines[1]).toContain('disk reads: 1; cache hit');
    expect(lines[2]).toMatch(/InputValidationError on maxSize/);
    expect(lines[3]).toMatch(/SecurityError on 'path'/);
    expect(lines[4]).toContain('attempt 3');
    expect(lines[5]).toContain('TimeoutError after 200 ms');
    expect(metrics).toMatchObject({ cacheHits: 1, retries: 2, timeouts: 1 });
  });
});
