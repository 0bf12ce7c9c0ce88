import type { ChalkInstance } from 'chalk';
import { formatElapsed } from './durations.js';
import { progressText, type LiveState } from './live-state.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** More running executions than this are summed up in one line, so the area stays small. */
const MAX_RUNNING_LINES = 6;

/**
 * The status area's lines: a spinner headline, the longest-running executions with their elapsed
 * time, and each fan-out in progress. Each line is cut to `width - 1` columns so it takes one row.
 */
export function liveLines(
  s: LiveState,
  now: number,
  frame: number,
  width: number,
  c: ChalkInstance,
): string[] {
  const spin = SPINNER[frame % SPINNER.length]!;
  const running = [...s.running.entries()].sort((a, b) => a[1] - b[1]);
  const head = `${c.cyan(spin)} running ${running.length} step${running.length === 1 ? '' : 's'}`;
  const lines = [`${head} ${c.dim(`· ${formatElapsed(now - s.startedAt)}`)}`];
  for (const p of s.fanouts.values())
    if (p.started && p.done < p.total) lines.push(`  ${c.bold(p.id)}  ${progressText(p)}`);
  const shown = running.slice(0, MAX_RUNNING_LINES);
  const labelWidth = Math.max(0, ...shown.map(([label]) => label.length));
  for (const [label, since] of shown)
    lines.push(`  ${label.padEnd(labelWidth)}  ${c.dim(formatElapsed(now - since))}`);
  if (running.length > shown.length) lines.push(c.dim(`  …and ${running.length - shown.length} more`));
  return lines.map((l) => fit(l, width - 1));
}

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;

/** Cuts a line with colour codes to `columns` visible characters (codes kept, a reset added). */
export function fit(line: string, columns: number): string {
  if (visibleLength(line) <= columns) return line;
  let out = '';
  let visible = 0;
  // eslint-disable-next-line no-control-regex
  for (const part of line.split(/(\x1b\[[0-9;]*m)/)) {
    if (SGR.test(part)) {
      SGR.lastIndex = 0;
      out += part;
      continue;
    }
    const room = Math.max(0, columns - 1 - visible);
    out += [...part].slice(0, room).join('');
    visible += Math.min([...part].length, room);
    if (visible >= columns - 1) break;
  }
  return `${out}…\x1b[0m`;
}

export function visibleLength(line: string): number {
  return [...line.replace(SGR, '')].length;
}
