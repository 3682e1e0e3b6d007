import { ConfigurationError } from '../errors/ConfigurationError';
import type { BuiltinSecurityRule, FieldSanitizeOptions, OutputAction, SanitizeOptions } from '../metadata/declarations';
import { operationDecorator, type OperationMethodDecorator } from './operationDecorator';

/** Every built-in rule name `@Sanitize` accepts, in the order the checks run. */
export const SECURITY_RULE_NAMES: readonly BuiltinSecurityRule[] = Object.freeze([
  'sqlInjection',
  'legacySql',
  'pathTraversal',
  'nullByte',
  'script',
]);

const OUTPUT_ACTIONS: readonly OutputAction[] = ['report', 'refuse', 'wrap'];
const SANITIZE_KEYS = new Set(['rules', 'customRules', 'exclude', 'fields', 'output']);
const FIELD_KEYS = new Set(['rules', 'confine']);
const CONFINE_KEYS = new Set(['root', 'extensions']);

/**
 * Checks `@Sanitize` options, throwing a `ConfigurationError` that names the option (`Sanitize.fields.path.confine.root`).
 * The decorator runs it when the class is defined, and the executor again when it builds the stage.
 */
export function checkSanitizeOptions(options: SanitizeOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) throw new ConfigurationError('Sanitize', options, 'expected an options object');
  unknownKeys('Sanitize', options, SANITIZE_KEYS);
  if (options.rules !== undefined) checkRuleNames('Sanitize.rules', options.rules);
  checkCustomRules(options.customRules);
  checkExcludes(options.exclude);
  if (options.fields !== undefined) {
    if (typeof options.fields !== 'object' || options.fields === null || Array.isArray(options.fields)) {
      throw new ConfigurationError('Sanitize.fields', options.fields, 'expected an object keyed by dotted field path');
    }
    for (const [field, spec] of Object.entries(options.fields)) checkField(field, spec);
  }
  const output = options.output;
  if (output !== undefined && typeof output !== 'boolean') {
    if (typeof output !== 'object' || output === null)
      throw new ConfigurationError('Sanitize.output', output, 'expected true, false or { action }');
    unknownKeys('Sanitize.output', output, new Set(['action']));
    if (output.action !== undefined && !OUTPUT_ACTIONS.includes(output.action)) {
      throw new ConfigurationError('Sanitize.output.action', output.action, `expected one of ${OUTPUT_ACTIONS.join(', ')}`);
    }
  }
}

function unknownKeys(option: string, value: object, known: ReadonlySet<string>): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key))
      throw new ConfigurationError(
        `${option}.${key}`,
        (value as Record<string, unknown>)[key],
        `unknown option; expected one of ${[...known].join(', ')}`,
      );
  }
}

function checkRuleNames(option: string, names: unknown): void {
  if (!Array.isArray(names)) throw new ConfigurationError(option, names, 'expected an array of rule names');
  for (const name of names as readonly unknown[]) {
    if (!SECURITY_RULE_NAMES.includes(name as BuiltinSecurityRule)) {
      throw new ConfigurationError(option, name, `unknown built-in rule; expected one of ${SECURITY_RULE_NAMES.join(', ')}`);
    }
  }
}

function checkCustomRules(custom: unknown): void {
  if (custom === undefined) return;
  if (!Array.isArray(custom)) throw new ConfigurationError('Sanitize.customRules', custom, 'expected an array of rules');
  for (const rule of custom as readonly unknown[]) {
    const candidate = rule as { name?: unknown; reason?: unknown; matches?: unknown } | null;
    if (
      typeof candidate !== 'object' ||
      candidate === null ||
      typeof candidate.name !== 'string' ||
      candidate.name === '' ||
      typeof candidate.reason !== 'string' ||
      typeof candidate.matches !== 'function'
    ) {
      throw new ConfigurationError(
        'Sanitize.customRules',
        rule,
        'each rule needs a non-empty name, a reason and a matches(value) function',
      );
    }
  }
}

/** A dotted path such as `query` or `items.*.name`: non-empty segments. */
export function isDottedPath(entry: unknown): entry is string {
  return typeof entry === 'string' && entry !== '' && !entry.split('.').includes('');
}

function checkExcludes(exclude: unknown): void {
  if (exclude === undefined) return;
  if (!Array.isArray(exclude)) throw new ConfigurationError('Sanitize.exclude', exclude, 'expected an array of dotted paths');
  for (const entry of exclude as readonly unknown[]) {
    if (!isDottedPath(entry))
      throw new ConfigurationError('Sanitize.exclude', entry, 'expected a dotted path such as "query" or "items.*.name"');
  }
}

function checkField(field: string, spec: FieldSanitizeOptions | undefined): void {
  const option = `Sanitize.fields.${field}`;
  if (!isDottedPath(field))
    throw new ConfigurationError('Sanitize.fields', field, 'expected a dotted path such as "path" or "items.*.file"');
  if (typeof spec !== 'object' || spec === null) throw new ConfigurationError(option, spec, 'expected { rules?, confine? }');
  unknownKeys(option, spec, FIELD_KEYS);
  if (spec.rules !== undefined) checkRuleNames(`${option}.rules`, spec.rules);
  const confine = spec.confine;
  if (confine === undefined) return;
  if (typeof confine !== 'object' || confine === null)
    throw new ConfigurationError(`${option}.confine`, confine, 'expected { root, extensions? }');
  unknownKeys(`${option}.confine`, confine, CONFINE_KEYS);
  const root: unknown = confine.root;
  const roots = typeof root === 'string' ? [root] : root;
  if (
    typeof root !== 'function' &&
    (!Array.isArray(roots) || roots.length === 0 || !roots.every((r) => typeof r === 'string' && r !== ''))
  ) {
    throw new ConfigurationError(
      `${option}.confine.root`,
      root,
      'expected a directory, a non-empty array of directories, or (tool) => directories',
    );
  }
  const extensions: unknown = confine.extensions;
  if (
    extensions !== undefined &&
    (!Array.isArray(extensions) || !extensions.every((e) => typeof e === 'string' && /^\.?[^./\\]+$/.test(e)))
  ) {
    throw new ConfigurationError(`${option}.confine.extensions`, extensions, 'expected extensions such as [".md", ".txt"]');
  }
}

/**
 * Checks every string in the input (nested ones and keys too) against security rules, after NFKC
 * normalisation; a match rejects the call with a `SecurityError` naming the field and the rule. Per field it
 * can add rules (`script`) and confine a path to allowed roots; `output` screens the result for
 * instruction-like content (on by default for `openWorld` operations). No options: the rules `SECURITY_LEVEL`
 * picks (`medium` by default).
 *
 * @example
 * ```ts
 * @ValidateInput(PageInput)
 * @Sanitize<DocsTool>({
 *   exclude: ['notes'],
 *   fields: { path: { confine: { root: (tool) => tool.root, extensions: ['.md'] } }, title: { rules: ['script'] } },
 * })
 * async publish(input: PageInput, ctx = PIPELINE_CONTEXT) { … }
 * ```
 */
export function Sanitize<T = any>(options: SanitizeOptions<T> = {}): OperationMethodDecorator {
  checkSanitizeOptions(options);
  return operationDecorator('Sanitize', { sanitize: options });
}
