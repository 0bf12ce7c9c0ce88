import { createHash, type Hash } from 'node:crypto';
import type { StepResult } from '../model/result.js';

/** The lines kept of one host's output: the first HEAD and last TAIL, each cut to LINE_CHARS. */
export const HEAD_LINES = 10;
export const TAIL_LINES = 30;
export const LINE_CHARS = 1000;

export interface ShownLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** One host's output while its instance runs: bounded, with a hash of every line as shown. */
interface Capture {
  hash: Hash;
  head: ShownLine[];
  tail: ShownLine[];
  lines: number;
}

/** Hosts whose output (every line, as shown) and outcome were identical. */
export interface OutputGroup {
  hosts: string[];
  /** The first host's result: status, exit, error, output files. */
  result: StepResult;
  head: readonly ShownLine[];
  tail: readonly ShownLine[];
  /** Lines neither in head nor tail. */
  omitted: number;
  lines: number;
}

const cut = (text: string): string =>
  text.length > LINE_CHARS
    ? `${text.slice(0, LINE_CHARS)}… (${text.length - LINE_CHARS} more characters)`
    : text;

/** What makes two results the same outcome in a grouped block (output aside). */
function outcomeKey(r: StepResult): string {
  return JSON.stringify([
    r.status,
    r.exitCode,
    r.signal,
    r.error?.code,
    r.error?.message,
    r.skipReason,
    r.note,
  ]);
}

/**
 * Groups the instances of one fan-out by their output: memory is bounded per host while it runs
 * (HEAD + TAIL lines of at most LINE_CHARS) and per distinct output after it ends, however much a
 * host prints; the hash covers every line, so outputs that differ only in the middle stay apart.
 * `show` is the reporter's rendering of a line (ANSI kept or stripped): lines that look the same
 * are the same. Lines are already masked, so the hash never sees a secret.
 */
export class OutputGroups {
  private readonly running = new Map<string, Capture>();
  private readonly groups = new Map<string, OutputGroup>();

  constructor(private readonly show: (line: string) => string = (l) => l) {}

  line(host: string, stream: 'stdout' | 'stderr', raw: string): void {
    const c = this.capture(host);
    const text = this.show(raw);
    c.hash.update(`${stream === 'stdout' ? 'o' : 'e'}${text.length}:${text}\n`);
    c.lines++;
    const shown = { stream, text: cut(text) };
    if (c.head.length < HEAD_LINES) c.head.push(shown);
    else {
      c.tail.push(shown);
      if (c.tail.length > TAIL_LINES) c.tail.shift();
    }
  }

  /** The host's instance ended: its capture joins (or starts) the group of its output and outcome. */
  end(result: StepResult): void {
    const host = result.host ?? '';
    const c = this.capture(host);
    this.running.delete(host);
    const key = `${c.hash.digest('hex')}\u0000${outcomeKey(result)}`;
    const group = this.groups.get(key);
    if (group) group.hosts.push(host);
    else
      this.groups.set(key, {
        hosts: [host],
        result,
        head: c.head,
        tail: c.tail,
        omitted: c.lines - c.head.length - c.tail.length,
        lines: c.lines,
      });
  }

  /** The groups so far (ok ones first, then by size) and forgets them; hosts still running are left out. */
  take(): OutputGroup[] {
    const all = [...this.groups.values()];
    this.groups.clear();
    const rank = (g: OutputGroup): number =>
      g.result.status === 'ok' ? 0 : g.result.status === 'skipped' ? 1 : 2;
    return all.sort((a, b) => rank(a) - rank(b) || b.hosts.length - a.hosts.length);
  }

  get size(): number {
    return this.groups.size + this.running.size;
  }

  private capture(host: string): Capture {
    let c = this.running.get(host);
    if (!c) this.running.set(host, (c = { hash: createHash('sha256'), head: [], tail: [], lines: 0 }));
    return c;
  }
}
