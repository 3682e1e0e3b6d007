import { ConfigurationError, SecurityError, type BuiltinSecurityRule, type SanitizeOptions, type SecurityRule } from '@aiecs/core';
import { BUILTIN_RULE_GATES, BUILTIN_RULE_NAMES, BUILTIN_SECURITY_RULES } from './securityRules';

/** Containers nested deeper than this are refused: walking them costs time and stack, and no tool input needs it. */
export const SANITIZE_MAX_DEPTH = 64;

/** `SecurityError.field` for a string passed as the whole input, which has no dotted path of its own. */
export const ROOT_FIELD = '(input)';

type PathSegment = string | number;

/** One `exclude` entry split into segments; a numeric segment also matches the array index it spells. */
interface ExcludePattern {
  readonly segments: readonly string[];
  /** Per segment: the array index it names, or -1 (wildcard or not a canonical index). */
  readonly indices: readonly number[];
}

/**
 * Builds the input checker of one operation. All option work (rule selection, exclude parsing) happens here,
 * once, so the returned function only walks the input. It throws `SecurityError` on the first string value or
 * object key that a rule matches; `field` is the dotted path (`filters.0.name`), or `(input)` for a bare string.
 *
 * Walked: arrays, plain and class-instance objects (own enumerable string keys), Map (string keys and values),
 * Set, and boxed strings; other objects (Date, RegExp, buffers, …) hold no user text and are skipped.
 * Shared objects are checked once and cycles are cut; containers nested deeper than `SANITIZE_MAX_DEPTH`
 * are rejected with rule `maxDepth`, so neither can be used to exhaust the walker.
 * `exclude` paths skip the field and everything under it (its key too); `*` matches any one segment.
 */
export function createSanitizer(options: SanitizeOptions | undefined): (input: unknown) => void {
  const groups = selectRules(options);
  const excludes = parseExcludes(options?.exclude);
  if (groups.length === 0) return () => {};

  const groupCount = groups.length;
  // Exclude patterns only ever match at their own depth, so below the deepest one a subtree's outcome no longer
  // depends on the path it was reached by: from there a plain visited-set is both correct and linear.
  const excludeDepth = excludes.reduce((max, p) => Math.max(max, p.segments.length), 0);

  // Reused between calls (the walk is synchronous) so a call on a small object allocates nothing per string.
  let path: PathSegment[] = [];
  let visited = new Set<object>();
  let onPath = new Set<object>();
  let busy = false;

  function checkString(value: string, isKey: boolean): void {
    for (let g = 0; g < groupCount; g++) {
      const { gate, rules } = groups[g]!;
      if (gate !== null && !gate.test(value)) continue;
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i]!;
        if (rule.matches(value)) {
          throw new SecurityError(formatPath(path), rule.name, isKey ? `${rule.reason} (in a property name)` : rule.reason);
        }
      }
    }
  }

  function isExcluded(): boolean {
    const depth = path.length;
    if (depth > excludeDepth) return false;
    for (const pattern of excludes) {
      if (pattern.segments.length === depth && matchesPattern(pattern, path)) return true;
    }
    return false;
  }

  /** Checks `child`, reached under the segment just pushed on `path`. */
  function visitChild(child: unknown, depth: number): void {
    if (excludeDepth !== 0 && isExcluded()) return;
    if (typeof child === 'string') checkString(child, false);
    else if (typeof child === 'object' && child !== null) visitObject(child, depth);
  }

  function visitEntry(key: string, child: unknown, depth: number): void {
    path.push(key);
    if (excludeDepth === 0 || !isExcluded()) {
      checkString(key, true);
      if (typeof child === 'string') checkString(child, false);
      else if (typeof child === 'object' && child !== null) visitObject(child, depth);
    }
    path.pop();
  }

  function visitObject(value: object, depth: number): void {
    if (depth >= SANITIZE_MAX_DEPTH) {
      throw new SecurityError(formatPath(path), 'maxDepth', `input is nested deeper than ${SANITIZE_MAX_DEPTH} levels`);
    }
    const pathDependent = depth < excludeDepth;
    if (pathDependent) {
      if (onPath.has(value)) return; // a cycle back to an ancestor
      onPath.add(value);
    } else {
      if (visited.has(value)) return; // already checked, or a cycle
      visited.add(value);
    }
    const next = depth + 1;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        visitChild(value[i], next);
        path.pop();
      }
    } else if (isPlainObject(value)) {
      visitKeys(value as Record<string, unknown>, next);
    } else {
      visitExotic(value, next);
    }
    if (pathDependent) onPath.delete(value);
  }

  function visitKeys(value: Record<string, unknown>, depth: number): void {
    // for…in avoids the Object.keys array; the own-property test skips inherited enumerable keys.
    for (const key in value) {
      if (Object.prototype.hasOwnProperty.call(value, key)) visitEntry(key, value[key], depth);
    }
  }

  function visitExotic(value: object, depth: number): void {
    switch (containerKind(value)) {
      case 'keys':
        // Class instances, e.g. a DTO produced by validation: their own fields are user input all the same.
        return visitKeys(value as Record<string, unknown>, depth);
      case 'map':
        for (const [key, child] of value as Map<unknown, unknown>) {
          if (typeof key === 'string') visitEntry(key, child, depth);
          else {
            path.push(String(key));
            visitChild(child, depth);
            path.pop();
          }
        }
        return;
      case 'set': {
        let i = 0;
        for (const child of value as Set<unknown>) {
          path.push(i++);
          visitChild(child, depth);
          path.pop();
        }
        return;
      }
      case 'boxedString':
        return checkString((value as String).valueOf(), false);
      case 'noText':
        return;
    }
  }

  return function sanitize(input: unknown): void {
    if (typeof input === 'string') {
      checkString(input, false);
      return;
    }
    if (typeof input !== 'object' || input === null) return;
    if (busy) {
      // Re-entered from a custom rule: keep the outer walk's state intact.
      const saved = [path, visited, onPath] as const;
      path = [];
      visited = new Set();
      onPath = new Set();
      try {
        visitObject(input, 0);
      } finally {
        [path, visited, onPath] = saved;
      }
      return;
    }
    busy = true;
    try {
      visitObject(input, 0);
    } finally {
      busy = false;
      path.length = 0;
      visited.clear();
      onPath.clear();
    }
  };
}

function formatPath(path: readonly PathSegment[]): string {
  return path.length === 0 ? ROOT_FIELD : path.join('.');
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

type ContainerKind = 'keys' | 'map' | 'set' | 'boxedString' | 'noText';

// Keyed by prototype: the validated input is a class instance on every call, and classifying its
// class once spares the walk a chain of instanceof probes per object.
const kindByPrototype = new WeakMap<object, ContainerKind>();

function containerKind(value: object): ContainerKind {
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null) return classify(value);
  let kind = kindByPrototype.get(proto);
  if (kind === undefined) kindByPrototype.set(proto, (kind = classify(value)));
  return kind;
}

function classify(value: object): ContainerKind {
  if (value instanceof Map) return 'map';
  if (value instanceof Set) return 'set';
  if (value instanceof String) return 'boxedString';
  return holdsNoText(value) ? 'noText' : 'keys';
}

function holdsNoText(value: object): boolean {
  return (
    value instanceof Date ||
    value instanceof RegExp ||
    value instanceof Promise ||
    value instanceof WeakMap ||
    value instanceof WeakSet ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value)
  );
}

function matchesPattern(pattern: ExcludePattern, path: readonly PathSegment[]): boolean {
  const { segments, indices } = pattern;
  for (let i = 0; i < segments.length; i++) {
    const expected = segments[i]!;
    if (expected === '*') continue;
    const actual = path[i]!;
    if (typeof actual === 'number' ? actual !== indices[i] : actual !== expected) return false;
  }
  return true;
}

/** Rules that run together; `gate`, when set, is a necessary condition for any of them to match. */
interface RuleGroup {
  readonly gate: RegExp | null;
  readonly rules: readonly SecurityRule[];
}

/** Built-in groups in their canonical order (whatever the order of `rules`), then the custom rules. */
function selectRules(options: SanitizeOptions | undefined): readonly RuleGroup[] {
  const groups: RuleGroup[] = [];
  const names = options?.rules ?? BUILTIN_RULE_NAMES;
  if (!Array.isArray(names)) throw new ConfigurationError('Sanitize.rules', names, 'expected an array of rule names');
  for (const name of names as readonly unknown[]) {
    if (!BUILTIN_RULE_NAMES.includes(name as BuiltinSecurityRule)) {
      throw new ConfigurationError('Sanitize.rules', name, `unknown built-in rule; expected one of ${BUILTIN_RULE_NAMES.join(', ')}`);
    }
  }
  for (const name of BUILTIN_RULE_NAMES) {
    if (names.includes(name)) groups.push({ gate: BUILTIN_RULE_GATES[name], rules: BUILTIN_SECURITY_RULES[name] });
  }
  const custom = options?.customRules ?? [];
  if (!Array.isArray(custom)) throw new ConfigurationError('Sanitize.customRules', custom, 'expected an array of rules');
  const selected: SecurityRule[] = [];
  for (const rule of custom as readonly unknown[]) {
    const candidate = rule as Partial<SecurityRule> | null;
    if (
      typeof candidate !== 'object' ||
      candidate === null ||
      typeof candidate.name !== 'string' ||
      candidate.name === '' ||
      typeof candidate.reason !== 'string' ||
      typeof candidate.matches !== 'function'
    ) {
      throw new ConfigurationError('Sanitize.customRules', rule, 'each rule needs a non-empty name, a reason and a matches(value) function');
    }
    selected.push(candidate as SecurityRule);
  }
  if (selected.length > 0) groups.push({ gate: null, rules: selected });
  return groups;
}

const CANONICAL_INDEX = /^(?:0|[1-9]\d*)$/;

function parseExcludes(exclude: readonly string[] | undefined): readonly ExcludePattern[] {
  if (exclude === undefined) return [];
  if (!Array.isArray(exclude)) throw new ConfigurationError('Sanitize.exclude', exclude, 'expected an array of dotted paths');
  return exclude.map((entry: unknown) => {
    const segments = typeof entry === 'string' ? entry.split('.') : [];
    if (segments.length === 0 || segments.includes('')) {
      throw new ConfigurationError('Sanitize.exclude', entry, 'expected a dotted path such as "query" or "items.*.name"');
    }
    const indices = segments.map((s) => (CANONICAL_INDEX.test(s) ? Number(s) : -1));
    return { segments, indices };
  });
}
