import type { HistoryStore } from '../store/index.js';

/**
 * Polls the store's change mark and tells subscribers when the history moved, so runs written by
 * other processes (cron) show up live. One poll serves every open page.
 */
export class HistoryWatcher {
  private readonly listeners = new Set<() => void>();
  private mark: number;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly store: HistoryStore,
    pollMs: number,
  ) {
    this.mark = store.changeMark();
    this.timer = setInterval(() => this.poll(), pollMs);
    this.timer.unref();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  poll(): void {
    const mark = this.store.changeMark();
    if (mark === this.mark) return;
    this.mark = mark;
    for (const fn of this.listeners) fn();
  }

  close(): void {
    clearInterval(this.timer);
    this.listeners.clear();
  }
}
