import { ConfigurationError } from '@aiecs/core';
import { getMetadataStorage, ValidationTypes } from 'class-validator';

/**
 * Throws `ConfigurationError` when one of `classes` (a schema and the classes it reaches, see
 * `schemaClasses`) carries an async class-validator rule: a custom constraint registered as async
 * (`@ValidatorConstraint({ async: true })`, or `registerDecorator({ async: true, validator })`,
 * both recorded as `ConstraintMetadata.async`) or `@ValidatePromise()`. Validation is synchronous
 * (`validateSync`), which skips async constraints without a word: such a schema would accept input
 * its rules reject. Reads class-validator's metadata storage: call it after `prepareSchema`.
 */
export function rejectAsyncConstraints(schema: Function, classes: Iterable<Function>): void {
  const storage = getMetadataStorage();
  for (const cls of classes) {
    for (const m of storage.getTargetValidationMetadatas(cls, '', false, false, undefined)) {
      let name: string | undefined;
      if (m.type === ValidationTypes.PROMISE_VALIDATION) name = 'ValidatePromise';
      else if (m.type === ValidationTypes.CUSTOM_VALIDATION && m.constraintCls) {
        const constraint = storage.getTargetValidatorConstraints(m.constraintCls).find((c) => c.async);
        if (constraint) name = constraint.name || m.name || m.constraintCls.name || 'custom constraint';
      }
      if (name === undefined) continue;
      throw new ConfigurationError(
        `${cls.name}.${m.propertyName}`,
        name,
        `async constraint in schema ${schema.name}: async constraints are not supported, because validation is ` +
          'synchronous (class-validator validateSync), which would skip this rule silently and accept what it rejects; ' +
          'make the constraint synchronous, or run the async check after validation',
      );
    }
  }
}
