import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { recordedProperties } from '../bridge/schemaRegistry';
import { inputKeyOf, isDateTyped } from './transformerMetadata';

/** `@IsOptional` / `@ValidateIf` condition: when it returns false, class-validator skips the property. */
export type Condition = (object: object, value: unknown) => boolean;

/** What the structural checks need to know about one property with an `each: true`, a nested or a `Date` rule. */
export interface PropertyRule {
  readonly property: string;
  /** `@IsOptional` / `@ValidateIf` conditions: when one is false, class-validator skips the property. */
  readonly conditions: readonly Condition[];
  /** Has an `each: true` rule (`@ValidateNested({ each: true })`, `@IsString({ each: true })`...). */
  readonly collection: boolean;
  /** Is validated as a nested object (`@ValidateNested`). */
  readonly nested: boolean;
  /** Is typed `@Type(() => Date)`: its input must be a `Date` or an ISO 8601 string (see `checkStructure`). */
  readonly date: boolean;
  /**
   * For a nested or `Date` property: the input key its value comes from, when the input value is what
   * the property receives (see `inputKeyOf`); `undefined` when the input cannot be paired with it.
   */
  readonly inputKey: string | undefined;
}

/** A schema class's rules as the strict checks see them (read once per class, see `rulesOf`). */
export interface ClassRules {
  /** False when class-validator has no rule for the class (it then reports an unknown value itself). */
  readonly validated: boolean;
  /** Properties the schema declares: any class-validator rule, or any decorator of this package. */
  readonly known: ReadonlySet<string>;
  /** Properties with an `each: true`, a nested or a `Date` rule. */
  readonly properties: readonly PropertyRule[];
}

const rulesByClass = new WeakMap<Function, ClassRules>();

/**
 * Reads (once per class) what the strict checks need from class-validator's metadata and the
 * recorded fields. Call it after `prepareSchema`: the replayed decorators are what it reads.
 */
export function rulesOf(cls: Function): ClassRules {
  let rules = rulesByClass.get(cls);
  if (rules) return rules;
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false, undefined);
  const byProperty = new Map<string, { conditions: Condition[]; collection: boolean; nested: boolean }>();
  const known = recordedProperties(cls);
  for (const m of metadatas) {
    known.add(m.propertyName);
    let rule = byProperty.get(m.propertyName);
    if (!rule) byProperty.set(m.propertyName, (rule = { conditions: [], collection: false, nested: false }));
    if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) rule.conditions.push(m.constraints[0] as Condition);
    else if (m.type !== ValidationTypes.WHITELIST && m.type !== ValidationTypes.IS_DEFINED) {
      rule.collection ||= m.each === true;
      rule.nested ||= m.type === ValidationTypes.NESTED_VALIDATION;
    }
  }
  const properties = [...byProperty]
    .map(([property, r]) => ({ property, ...r, date: isDateTyped(cls, property) }))
    .filter((r) => r.collection || r.nested || r.date)
    .map((r) => ({ ...r, inputKey: r.nested || r.date ? inputKeyOf(cls, r.property) : undefined }));
  rules = { validated: metadatas.length > 0, known, properties };
  rulesByClass.set(cls, rules);
  return rules;
}
