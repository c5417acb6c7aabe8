/**
 * Sleepers woken by a signal, one listener on it however many sleep: every
 * actor of every scenario sleeps on the run's interrupt at once, and Node
 * warns past ten listeners on one AbortSignal (MaxListenersExceededWarning),
 * printed in the middle of a game day's output.
 */
const sleepers = new WeakMap<AbortSignal, Set<() => void>>();

/** Call `wake` once `signal` aborts; returns the function that forgets it (call it when woken otherwise). */
export function onAbort(signal: AbortSignal, wake: () => void): () => void {
  let waiting = sleepers.get(signal);
  if (!waiting) {
    const created = new Set<() => void>();
    waiting = created;
    sleepers.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        const woken = [...created];
        created.clear();
        for (const each of woken) each();
      },
      { once: true },
    );
  }
  const set = waiting;
  set.add(wake);
  return () => set.delete(wake);
}
