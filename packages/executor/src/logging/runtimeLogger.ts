import { DEFAULT_TOOL_CONFIG, type ToolConfigInput } from '../config/ToolConfig';
import { adaptLogger, type UserLogger } from './adaptLogger';
import { atLeast, consoleLogger, type Logger, type LogLevel } from './Logger';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * True when the log level was chosen rather than defaulted: `TOOL_EXECUTOR_LOG_LEVEL` is set, or the `logLevel`
 * option differs from the default. (A standalone tool hands its runtime a resolved configuration, where the
 * default is already filled in, so an explicit `logLevel: 'warn'` cannot be told from the default.)
 */
export function logLevelWasSet(config: ToolConfigInput | undefined, env: Env = process.env): boolean {
  const fromEnv = env.TOOL_EXECUTOR_LOG_LEVEL !== undefined && env.TOOL_EXECUTOR_LOG_LEVEL.trim() !== '';
  return fromEnv || (config?.logLevel !== undefined && config.logLevel !== DEFAULT_TOOL_CONFIG.logLevel);
}

/**
 * The runtime's logger. Without a user logger: the console, filtered at `level` (default `warn`). With one
 * (pino, winston, …): that logger, adapted to its call shape; when the level was set (see
 * {@link logLevelWasSet}), lines below it are dropped before they reach it, and otherwise the logger's
 * own level alone decides (a pino at `info` gets info lines even though the default level is `warn`).
 */
export function runtimeLogger(user: UserLogger | undefined, level: LogLevel, levelSet: boolean): Logger {
  if (user === undefined) return consoleLogger(level);
  const adapted = adaptLogger(user);
  return levelSet ? atLeast(adapted, level) : adapted;
}
