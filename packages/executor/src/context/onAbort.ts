interface Subscription {
  readonly listener: () => void;
  readonly callbacks: Set<() => void>;
}

const subscriptions = new WeakMap<AbortSignal, Subscription>();

/**
 * Calls `callback` when `signal` aborts; returns the unsubscribe function. Concurrent calls that
 * share one caller signal share one event listener, so a busy signal neither trips Node's
 * max-listeners warning nor keeps a listener after its calls end.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let subscription = subscriptions.get(signal);
  if (!subscription) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      subscriptions.delete(signal);
      for (const notify of callbacks) notify();
    };
    subscription = { listener, callbacks };
    subscriptions.set(signal, subscription);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { callbacks, listener } = subscription;
  callbacks.add(callback);
  return () => {
    callbacks.delete(callback);
    if (callbacks.size === 0 && subscriptions.get(signal) === subscription) {
      subscriptions.delete(signal);
      signal.removeEventListener('abort', listener);
    }
  };
}
