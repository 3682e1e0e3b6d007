import { TransformationType } from 'class-transformer';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { rulesOf, type Condition } from '../strict/classRules';
import { isForbiddenKey } from '../strict/depth';
import { transformerStorage, untransformedProperties } from '../strict/transformerMetadata';
import { directCheck, isThenable, type ConstraintValidate, type ValueCheck } from './directChecks';

/** Why a schema class is left to the general path (class-transformer + class-validator). */
export class NotCompilable extends Error {}

/** Thrown while checking a value that only the general path can judge (an async answer). */
export class UndecidedValue extends Error {}

/** One class-validator rule of a property: its check, and whether it applies to each item of an array. */
export interface RuleCheck {
  readonly each: boolean;
  /** `object` is the instance being validated (custom constraints read it through their arguments). */
  readonly test: (value: unknown, object: object) => boolean;
}

/** A `@ValidateNested` + `@Type(() => Class)` property. */
export interface NestedPlan {
  /** The plan of the class `@Type` names (filled in after this one for recursive schemas). */
  readonly target: ClassPlan;
}

/** What validating one property needs (properties with at least one class-validator rule). */
export interface PropertyPlan {
  readonly key: string;
  /** `@IsOptional`: null and undefined skip every rule. */
  readonly optional: boolean;
  /** `@ValidateIf` conditions: one false skips every rule. */
  readonly conditions: readonly Condition[];
  readonly checks: readonly RuleCheck[];
  /** Has an `each: true` rule: a defined, non-null value must then be an array (see `checkStructure`). */
  readonly collection: boolean;
  readonly nested: NestedPlan | undefined;
}

/** A declared property whose value becomes an instance of another class, or an array of them. */
export type NestedField = NestedPlan & { readonly collection: boolean };

/** A schema class compiled: how to build its instance and how to validate it. */
export interface ClassPlan {
  readonly cls: new () => object;
  /**
   * Every input key the class declares (any other key with a defined value is an unknown property),
   * with how its value is built: `null` copied as it is, or as an instance of another class (`@Type`).
   * One map, so building an instance looks each input key up once.
   */
  readonly fields: ReadonlyMap<string, NestedField | null>;
  /**
   * The last input key list seen and its `fields` entries, index for index (`undefined`: not
   * declared): inputs of one schema mostly come with the same keys, so building reuses the lookups.
   */
  lastShape?: { readonly keys: readonly string[]; readonly fields: ReadonlyArray<NestedField | null | undefined> };
  readonly properties: readonly PropertyPlan[];
}

const storage = getMetadataStorage();

/** Values `@Type` may name that class-transformer converts to rather than instantiates as a schema. */
const BUILT_IN_TYPES: ReadonlySet<unknown> = new Set<unknown>([
  String,
  Number,
  Boolean,
  Date,
  Object,
  Array,
  Map,
  Set,
  Promise,
  Function,
  Symbol,
  BigInt,
  RegExp,
  globalThis.Buffer,
]);

/** class-validator's own `@IsOptional` condition, recognised to skip null/undefined inline. */
function isOptionalCondition(m: ValidationMetadata): boolean {
  if (m.name !== 'isOptional') return false;
  const condition = m.constraints[0] as Condition;
  const probe = (value: unknown) => condition({ [m.propertyName]: value }, value);
  return probe(undefined) === false && probe(null) === false && probe(0) === true && probe('') === true;
}

/** The checks of one custom (or `IS_DEFINED`) rule: one per constraint class implementation. */
function ruleChecks(cls: Function, m: ValidationMetadata): RuleCheck[] {
  if ((m as { validateIf?: unknown }).validateIf !== undefined)
    throw new NotCompilable(`${cls.name}.${m.propertyName}: a rule with validateIf`);
  const each = m.each === true;
  return storage.getTargetValidatorConstraints(m.constraintCls).map((constraint): RuleCheck => {
    if (constraint.async) throw new NotCompilable(`${cls.name}.${m.propertyName}: an async constraint`);
    const instance = constraint.instance as { validate: ConstraintValidate };
    const validate: ConstraintValidate = (value, args) => instance.validate(value, args);
    const direct: ValueCheck | undefined = directCheck(m.name, m.constraints, validate);
    if (direct) return { each, test: direct };
    // Custom constraints get the arguments class-validator's executor gives them.
    const property = m.propertyName;
    const constraints = m.constraints;
    return {
      each,
      test: (value, object) => {
        const args: ValidationArguments = { targetName: object.constructor?.name, property, object, value, constraints };
        const valid = instance.validate(value, args);
        if (isThenable(valid)) throw new UndecidedValue('async answer');
        return !!valid;
      },
    };
  });
}

/** The class a `@Type` thunk of `cls.key` names, when it is a schema class the compiler can instantiate. */
function nestedClass(cls: Function, key: string): new () => object {
  const types = transformerStorage();
  const metadata = types?.findTypeMetadata(cls, key);
  if (!metadata || typeof metadata.typeFunction !== 'function')
    throw new NotCompilable(`${cls.name}.${key}: @ValidateNested without @Type`);
  if (types!.findTransformMetadatas(cls, key, TransformationType.PLAIN_TO_CLASS).length > 0)
    throw new NotCompilable(`${cls.name}.${key}: @Transform`);
  if (metadata.options?.discriminator) throw new NotCompilable(`${cls.name}.${key}: a @Type discriminator`);
  const target: unknown = metadata.typeFunction();
  if (typeof target !== 'function' || BUILT_IN_TYPES.has(target))
    throw new NotCompilable(`${cls.name}.${key}: @Type names no schema class`);
  return target as new () => object;
}

/** Checks that `new cls()` is an instance of `cls` whose own properties are all declared and none a function. */
function checkInstance(cls: new () => object, known: ReadonlySet<string>): void {
  const probe = new cls() as Record<string, unknown>;
  if (Object.getPrototypeOf(probe) !== cls.prototype) throw new NotCompilable(`${cls.name}: its constructor returns another object`);
  for (const key of Object.keys(probe)) {
    if (!known.has(key)) throw new NotCompilable(`${cls.name}.${key}: a field without a decorator`);
    // plainToInstance keeps a function-valued field instead of assigning the input's value.
    if (probe[key] instanceof Function) throw new NotCompilable(`${cls.name}.${key}: a function-valued field`);
  }
}

/**
 * Reads `cls`'s metadata (class-validator's, with inheritance exactly as its executor reads it, and
 * class-transformer's) into a `ClassPlan`, and those of the classes its `@Type`s name into `plans`.
 * Throws `NotCompilable` for what the compiled path does not reproduce: class-transformer
 * `@Expose`/`@Exclude`/`@Transform`, `@Type` to a built-in or with a discriminator, `@Type` without
 * `@ValidateNested` (or the reverse), `@ValidateIf` on a nested property, `validateIf` options,
 * `@ValidatePromise`, accessors or methods named like fields, undecorated or function-valued fields,
 * and classes without any class-validator rule (class-validator reports them as unknown values).
 * Call it after `prepareSchema`.
 */
export function planClass(cls: new () => object, plans: Map<Function, ClassPlan>): ClassPlan {
  const existing = plans.get(cls);
  if (existing) return existing;
  const metadatas = storage.getTargetValidationMetadatas(cls, '', false, false, undefined);
  if (metadatas.length === 0) throw new NotCompilable(`${cls.name}: no class-validator rule`);
  const { known } = rulesOf(cls);
  const untransformed = untransformedProperties(cls, known);
  if (!untransformed) throw new NotCompilable(`${cls.name}: @Expose/@Exclude, or class-transformer's metadata cannot be read`);
  const prototype = cls.prototype as object;
  for (const key of known) {
    if (isForbiddenKey(key) || key in prototype) throw new NotCompilable(`${cls.name}.${key}: a special key, a method or an accessor`);
  }
  checkInstance(cls, known);

  const fields = new Map<string, NestedField | null>([...known].map((key) => [key, null]));
  const properties: PropertyPlan[] = [];
  const plan: ClassPlan = { cls, fields, properties };
  plans.set(cls, plan); // before the nested classes: a recursive schema finds itself

  const grouped = storage.groupByPropertyName(metadatas);
  const typed = new Set([...known].filter((key) => !untransformed.has(key)));
  for (const [key, group] of Object.entries(grouped)) {
    let optional = false;
    const conditions: Condition[] = [];
    const checks: RuleCheck[] = [];
    let collection = false;
    let nested = false;
    for (const m of group) {
      switch (m.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          if (isOptionalCondition(m)) optional = true;
          else conditions.push(m.constraints[0] as Condition);
          continue;
        case ValidationTypes.WHITELIST:
          continue;
        case ValidationTypes.NESTED_VALIDATION:
          nested = true;
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
        case ValidationTypes.IS_DEFINED:
          checks.push(...ruleChecks(cls, m));
          break;
        default:
          throw new NotCompilable(`${cls.name}.${key}: a ${m.type} rule`);
      }
      if (m.type !== ValidationTypes.IS_DEFINED) collection ||= m.each === true;
    }
    let nestedPlan: NestedPlan | undefined;
    if (nested) {
      if (conditions.length > 0) throw new NotCompilable(`${cls.name}.${key}: @ValidateIf on a nested property`);
      if (!typed.has(key)) throw new NotCompilable(`${cls.name}.${key}: @ValidateNested without @Type`);
      nestedPlan = { target: planClass(nestedClass(cls, key), plans) };
      fields.set(key, { ...nestedPlan, collection });
      typed.delete(key);
    }
    properties.push({ key, optional, conditions, checks, collection, nested: nestedPlan });
  }
  const left = typed.values().next();
  if (!left.done) throw new NotCompilable(`${cls.name}.${left.value}: @Type or @Transform without @ValidateNested`);
  return plan;
}
