/** A TC39 field decorator: what every adapted decorator factory returns. */
export type FieldDecorator = (value: undefined, context: ClassFieldDecoratorContext) => void;

/** A legacy (`experimentalDecorators`) property decorator, as class-validator and class-transformer return them. */
export type LegacyPropertyDecorator = (target: object, propertyKey: string | symbol) => void;

type SameArguments<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * The TC39 version of a legacy property-decorator factory `F`: same arguments, returns a `FieldDecorator`.
 * Two call signatures are matched so overloaded factories (`Matches`, `Validate`) keep both forms;
 * a factory with one signature matches both slots with the same arguments.
 */
export type AdaptedFactory<F> = F extends {
  (...args: infer A1): PropertyDecorator;
  (...args: infer A2): PropertyDecorator;
}
  ? SameArguments<A1, A2> extends true
    ? (...args: A1) => FieldDecorator
    : ((...args: A1) => FieldDecorator) & ((...args: A2) => FieldDecorator)
  : never;
