import { CircuitBreaker, Fallback, PIPELINE_CONTEXT, Retry, Timeout, ValidateInput } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';
import { IsString, MaxLength } from '@aiecs/validation';
import { WeatherApi } from './WeatherApi';

/** Input of the weather operations. */
export class CityInput {
  @IsString() @MaxLength(80) city!: string;
}

/** A tool over a flaky API: every call is retried, timed out per attempt and guarded by a breaker. */
@Timeout(150)
export class WeatherTool extends BaseTool {
  readonly api = new WeatherApi();

  @ValidateInput(CityInput)
  @CircuitBreaker({ threshold: 2, halfOpenAfterMs: 300 })
  @Retry({ attempts: 3, initialDelayMs: 20, maxDelayMs: 100 })
  async forecast(input: CityInput, ctx = PIPELINE_CONTEXT): Promise<string> {
    return this.api.forecast(input.city, ctx.signal);
  }

  /** The same call, but a failure degrades to a canned answer instead of an error. */
  @ValidateInput(CityInput)
  @Fallback('forecast unavailable')
  @Retry({ attempts: 2, initialDelayMs: 20 })
  async forecastOrDefault(input: CityInput, ctx = PIPELINE_CONTEXT): Promise<string> {
    return this.api.forecast(input.city, ctx.signal);
  }
}
