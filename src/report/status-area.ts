import { visibleLength } from './live-lines.js';

/** The terminal side of the status area: what it needs of stdout. */
export interface StatusTerminal {
  write(text: string): unknown;
  columns?: number;
  on(event: 'resize', fn: () => void): unknown;
  off(event: 'resize', fn: () => void): unknown;
}

/**
 * A block of lines kept below the scrolling log and redrawn in place: every log write first erases
 * the block, then writes, then draws it again. Only for a real terminal (the caller decides).
 */
export class StatusArea {
  private drawn: string[] = [];
  private closed = false;
  private pending: ReturnType<typeof setImmediate> | undefined;
  private readonly onResize = (): void => this.resized();

  constructor(
    private readonly term: StatusTerminal,
    private readonly render: (width: number) => string[],
  ) {
    term.on('resize', this.onResize);
  }

  /** Writes log text above the area; a burst of lines costs one redraw, on the next turn of the loop. */
  log(text: string): void {
    if (this.closed) return void this.term.write(text);
    this.term.write(this.erase() + text);
    this.schedule();
  }

  /** Redraws the area (the spinner and elapsed times move). */
  refresh(): void {
    if (this.closed) return;
    this.term.write(this.erase());
    this.schedule();
  }

  /** Erases the area for good; later log writes go straight through. */
  close(): void {
    if (this.closed) return;
    if (this.pending) clearImmediate(this.pending);
    this.term.write(this.erase());
    this.closed = true;
    this.term.off('resize', this.onResize);
  }

  private schedule(): void {
    this.pending ??= setImmediate(() => {
      this.pending = undefined;
      if (!this.closed) this.term.write(this.erase() + this.draw());
    });
  }

  private width(): number {
    return Math.max(20, this.term.columns ?? 80);
  }

  private draw(): string {
    this.drawn = this.render(this.width());
    return this.drawn.length ? `${this.drawn.join('\n')}\n` : '';
  }

  /** Cursor up over every row the drawn lines take at the current width, then clear to the end. */
  private erase(): string {
    const cols = this.width();
    const rows = this.drawn.reduce((n, l) => n + Math.max(1, Math.ceil(visibleLength(l) / cols)), 0);
    this.drawn = [];
    return rows ? `\x1b[${rows}F\x1b[J` : '';
  }

  /** A narrower terminal may have wrapped the area's lines: erase by the new width and redraw. */
  private resized(): void {
    this.refresh();
  }
}
