import type { HistoryStore } from '../store/index.js';

/**
 * Polls the store's change mark and tells subscribers when the history moved, so runs written by
 * other processes (cron) show up live. One poll serves every open page.
 */
export class HistoryWatcher {
  private readonly listeners = new Set<() => void>();
  /** Undefined until the first read: that read only sets it. */
  private mark: number | undefined;
  private polling = false;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly store: HistoryStore,
    pollMs: number,
  ) {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), pollMs);
    this.timer.unref();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** One read at a time; a database that does not answer (restarting) is asked again at the next tick. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const mark = await this.store.changeMark();
      const first = this.mark === undefined;
      if (mark === this.mark) return;
      this.mark = mark;
      if (!first) for (const fn of this.listeners) fn();
    } catch {
      // Unavailable for now: the next tick asks again.
    } finally {
      this.polling = false;
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.listeners.clear();
  }
}
