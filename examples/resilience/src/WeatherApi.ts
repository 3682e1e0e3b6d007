/** A pretend remote API whose health the example scripts. */
export class WeatherApi {
  /** Calls that reached the API. */
  calls = 0;
  /** How the next calls behave. */
  mode: 'ok' | 'flaky' | 'down' | 'hanging' = 'ok';
  private flakyFailuresLeft = 0;

  /** Makes the next `n` calls fail, then recover. */
  flaky(n: number): void {
    this.mode = 'flaky';
    this.flakyFailuresLeft = n;
  }

  async forecast(city: string, signal: AbortSignal): Promise<string> {
    this.calls++;
    if (this.mode === 'down') throw new Error('503 Service Unavailable');
    if (this.mode === 'flaky' && this.flakyFailuresLeft-- > 0) throw new Error('502 Bad Gateway');
    if (this.mode === 'hanging') {
      // A hung connection that only gives up when aborted.
      await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    }
    return `sunny in ${city}`;
  }
}
