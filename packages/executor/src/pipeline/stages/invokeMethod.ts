import { settle, type Handler } from '../Invocation';

/** The innermost handler: starts an attempt and calls the user's method with its `ToolContext`. */
export const invokeMethod: Handler = (invocation) => {
  const scope = invocation.scope!;
  // A call released by its deadline or its caller (say, while queued in a bulkhead) never starts.
  if (scope.aborted) return Promise.reject(scope.abortReason);
  const context = scope.beginAttempt(scope.current ? scope.current.attempt + 1 : 1);
  return settle(() => invocation.method.call(invocation.tool, invocation.input, context));
};
