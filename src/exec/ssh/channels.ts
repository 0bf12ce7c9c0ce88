/**
 * Caps the channels open at once on one connection (servers refuse more than MaxSessions) and
 * queues the rest first-in first-out.
 */
export class ChannelLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private cap: number) {}

  get capacity(): number {
    return this.cap;
  }

  get inUse(): number {
    return this.active;
  }

  /** Resolves true when a slot is ours, false if `signal` aborted first; `front` puts a retry ahead of new requests. */
  acquire(front = false, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.active < this.cap && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (front) this.waiting.unshift(grant);
      else this.waiting.push(grant);
    });
  }

  release(): void {
    this.active = Math.max(0, this.active - 1);
    this.pump();
  }

  /** The server refused a channel: what is open now is the most it takes (never below one). */
  lower(): void {
    this.cap = Math.max(1, this.active);
  }

  private pump(): void {
    while (this.active < this.cap) {
      const next = this.waiting.shift();
      if (!next) return;
      this.active++;
      next();
    }
  }
}
