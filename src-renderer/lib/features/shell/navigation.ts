import type { ViewId } from './views';

type Listener = (view: ViewId) => void;
const listeners = new Set<Listener>();

/** Asks the shell to switch views: for links between views (e.g. Detect → Models), which own no navigation. */
export function showView(view: ViewId): void {
  for (const listener of listeners) listener(view);
}

/** The shell follows `showView` requests; returns the unsubscribe. */
export function onShowView(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
