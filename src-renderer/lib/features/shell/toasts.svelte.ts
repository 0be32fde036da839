/** Transient messages at the bottom of the window, optionally with one action (e.g. Undo). */
export interface Toast {
  id: number;
  message: string;
  kind: 'info' | 'error';
  action?: { label: string; run: () => void };
}

class ToastState {
  items = $state<Toast[]>([]);
  private next = 1;

  show(message: string, options: { kind?: Toast['kind']; action?: Toast['action']; timeoutMs?: number } = {}): void {
    const id = this.next++;
    this.items.push({ id, message, kind: options.kind ?? 'info', action: options.action });
    setTimeout(() => this.dismiss(id), options.timeoutMs ?? (options.action ? 8000 : 4000));
  }
  error(message: string): void {
    this.show(message, { kind: 'error', timeoutMs: 8000 });
  }
  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new ToastState();
