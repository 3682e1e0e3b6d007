/**
 * Key of the method a tool instance exposes to run its decorated operations.
 * Decorators only install a one-line forwarder to it; the executor package implements it.
 */
export const INVOKE_OPERATION: unique symbol = Symbol.for('aiecs.invokeOperation');

/** Signature of the `[INVOKE_OPERATION]` method that BaseTool implements. */
export type OperationInvoker = (operation: string, method: AnyMethod, input: unknown, context: unknown) => unknown;

type AnyMethod = (this: any, ...args: any[]) => any;

const ORIGINAL = Symbol('aiecs.originalMethod');
type Intercepted = AnyMethod & { [ORIGINAL]: AnyMethod };

/** True when `fn` is a forwarder installed by an operation decorator. */
export function isIntercepted(fn: unknown): fn is Intercepted {
  return typeof fn === 'function' && ORIGINAL in fn;
}

/** The user's method behind a forwarder (or `fn` itself). */
export function originalMethod<F extends AnyMethod>(fn: F): F {
  return isIntercepted(fn) ? (fn[ORIGINAL] as F) : fn;
}

/**
 * Replaces `method` by a forwarder to `this[INVOKE_OPERATION]`, once: the second decorator on the
 * same method gets the forwarder back and returns it unchanged.
 */
export function interceptOperation<F extends AnyMethod>(method: F, operation: string): F {
  if (isIntercepted(method)) return method;
  // Operations take (input, context): a fixed arity keeps the forwarder free of rest-argument copies.
  const forwarder = function (this: { [INVOKE_OPERATION]?: OperationInvoker } | undefined, input: unknown, context: unknown) {
    const invoke = this?.[INVOKE_OPERATION];
    if (typeof invoke !== 'function') {
      throw new TypeError(`'${operation}' is a decorated operation: call it on an instance of a class that extends BaseTool`);
    }
    return invoke.call(this, operation, method, input, context);
  } as unknown as Intercepted;
  Object.defineProperty(forwarder, 'name', { value: operation });
  Object.defineProperty(forwarder, ORIGINAL, { value: method });
  return forwarder as unknown as F;
}
