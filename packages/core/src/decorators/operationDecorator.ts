import type { OperationDeclaration, PolicyDeclarations } from '../metadata/declarations';
import { interceptOperation } from '../metadata/interception';
import { declareOperation, declareToolPolicies } from '../metadata/toolMetadata';
import { assertStandardDecoratorContext } from './standardDecoratorContext';

/** A TC39 method decorator that records a concern and leaves the method's type unchanged. */
export type OperationMethodDecorator = <This, Args extends any[], Ret>(
  target: (this: This, ...args: Args) => Ret,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Ret>,
) => (this: This, ...args: Args) => Ret;

/** A TC39 decorator for a method (that operation) or a tool class (all its operations). */
export interface PolicyDecorator extends OperationMethodDecorator {
  <C extends abstract new (...args: any) => any>(target: C, context: ClassDecoratorContext<C>): void;
}

/** Builds a method decorator that records `patch` and installs the (single) forwarder. */
export function operationDecorator(decorator: string, patch: Partial<Omit<OperationDeclaration, 'name'>>): OperationMethodDecorator {
  return (target, context) => {
    assertStandardDecoratorContext(decorator, context);
    declareOperation(context, decorator, patch);
    return interceptOperation(target, context.name as string);
  };
}

/** Builds a decorator that records `patch` on one operation, or on the whole tool class. */
export function policyDecorator(decorator: string, patch: Partial<PolicyDeclarations>): PolicyDecorator {
  const onMethod = operationDecorator(decorator, patch);
  return ((target: any, context: ClassMethodDecoratorContext | ClassDecoratorContext) => {
    assertStandardDecoratorContext(decorator, context);
    if (context.kind === 'class') return declareToolPolicies(context, decorator, patch);
    if (context.kind === 'method') return onMethod(target, context);
    throw new TypeError(`@${decorator} applies to tool classes and their methods, not to a ${(context as { kind: string }).kind}`);
  }) as PolicyDecorator;
}
