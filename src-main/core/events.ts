/** Minimal typed event, VS Code style: subscribe returns a disposer. */
export type Listener<T> = (value: T) => void;
export type Disposable = () => void;

export class Emitter<T> {
  private listeners = new Set<Listener<T>>();
  /** Subscribe; call the returned function to unsubscribe. */
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch (e) {
        // A faulty listener must not break the emitter or its other listeners.
        console.error('[palimpsest] event listener failed:', e);
      }
    }
  }
  get size(): number {
    return this.listeners.size;
  }
}
