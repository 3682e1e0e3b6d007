import { runResilience } from '../src/resilience';

describe('resilience example', () => {
  it('recovers a flaky API, opens and closes the circuit, times out and falls back', async () => {
    const lines: string[] = [];
    await runResilience((line) => lines.push(line));
    expect(lines[0]).toMatch(/sunny in Oslo \[api calls: 3, circuit: closed\]/);
    expect(lines[1]).toMatch(/ToolExecutionError: 503.*api calls: 3/);
    expect(lines[2]).toMatch(/ToolExecutionError: 503.*api calls: 3, circuit: open/);
    expect(lines[3]).toMatch(/CircuitOpenError.*api calls: 0/);
    expect(lines[4]).toMatch(/sunny in Oslo \[api calls: 1, circuit: closed\]/);
    expect(lines[5]).toMatch(/forecast unavailable \[api calls: 2/);
    expect(lines[6]).toMatch(/forecast unavailable/);
  });
});
