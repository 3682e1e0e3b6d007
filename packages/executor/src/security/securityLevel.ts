import { ConfigurationError, type BuiltinSecurityRule } from '@aiecs/core';

/** `SECURITY_LEVEL`: which rules `@Sanitize()` runs when it names none, and which results are screened. */
export type SecurityLevel = 'low' | 'medium' | 'high';

/** Every security level, lowest first. */
export const SECURITY_LEVELS: readonly SecurityLevel[] = Object.freeze(['low', 'medium', 'high']);

/** Which operations' results the output screen checks when `@Sanitize({ output })` does not say. */
export type OutputScreenDefault = 'none' | 'openWorld' | 'all';

/** What a level picks. */
export interface SecurityLevelDefaults {
  /** Input rule groups of `@Sanitize()` without `rules`. */
  readonly rules: readonly BuiltinSecurityRule[];
  /** Operations whose results are screened for instruction-like content without declaring it. */
  readonly screenOutput: OutputScreenDefault;
}

/**
 * - `low`: paths and NUL bytes only (free-text tools that must accept SQL-looking prose); no output screen.
 * - `medium` (default): SQL injection, path traversal, NUL bytes; results of `openWorld` operations screened.
 * - `high`: those and `script` on every string; every operation's result screened.
 */
export const SECURITY_LEVEL_DEFAULTS: Readonly<Record<SecurityLevel, SecurityLevelDefaults>> = Object.freeze({
  low: Object.freeze({ rules: Object.freeze(['pathTraversal', 'nullByte'] as const), screenOutput: 'none' }),
  medium: Object.freeze({ rules: Object.freeze(['sqlInjection', 'pathTraversal', 'nullByte'] as const), screenOutput: 'openWorld' }),
  high: Object.freeze({ rules: Object.freeze(['sqlInjection', 'pathTraversal', 'nullByte', 'script'] as const), screenOutput: 'all' }),
});

/** Parses `SECURITY_LEVEL` (case-insensitive). */
export function parseSecurityLevel(variable: string, raw: string): SecurityLevel {
  const value = raw.trim().toLowerCase();
  if (!(SECURITY_LEVELS as readonly string[]).includes(value))
    throw new ConfigurationError(variable, raw, `expected one of ${SECURITY_LEVELS.join(', ')}`);
  return value as SecurityLevel;
}

/** `md` and `.MD` both mean `.md`. */
export function normalizeExtension(extension: string): string {
  const lower = extension.trim().toLowerCase();
  return lower.startsWith('.') ? lower : `.${lower}`;
}

const EXTENSION = /^\.[^./\\\s]+$/;

/** Parses `ALLOWED_FILE_EXTENSIONS`: a comma- or space-separated list (`.md,.txt` or `md txt`). */
export function parseExtensions(variable: string, raw: string): readonly string[] {
  const extensions = raw
    .split(/[\s,]+/)
    .filter((e) => e !== '')
    .map(normalizeExtension);
  if (extensions.length === 0 || !extensions.every((e) => EXTENSION.test(e))) {
    throw new ConfigurationError(variable, raw, 'expected extensions separated by commas, such as .md,.txt');
  }
  return Object.freeze(extensions);
}

/** Checks the resolved `securityLevel` and `allowedFileExtensions` options. */
export function checkSecurityOptions(level: unknown, extensions: unknown): void {
  if (!(SECURITY_LEVELS as readonly unknown[]).includes(level))
    throw new ConfigurationError('securityLevel', level, `expected one of ${SECURITY_LEVELS.join(', ')}`);
  if (extensions === undefined) return;
  if (!Array.isArray(extensions) || !extensions.every((e) => typeof e === 'string' && EXTENSION.test(normalizeExtension(e)))) {
    throw new ConfigurationError('allowedFileExtensions', extensions, 'expected an array of extensions such as [".md", ".txt"]');
  }
}
