import type { Placement } from './shell-classify.js';
import type { ShellLayout } from './shell-place.js';
import { quoteFor } from './shell-quote.js';

export type ShellRender = { ok: true; script: string } | { ok: false; segment: number; message: string };

/**
 * The script with each value quoted for its placement. `values` maps a value segment to its text.
 * The layout must have no problems (placeShell's caller reports them).
 */
export function renderLayout(layout: ShellLayout, values: ReadonlyMap<number, string>): ShellRender {
  const { probe } = layout;
  let script = '';
  let pos = 0;
  let delta = 0;
  const shifts: Array<{ at: number; delta: number }> = [];
  const heredocs: Array<{ segment: number; placement: Placement & { kind: 'heredoc' } }> = [];
  for (const hole of layout.holes) {
    const value = values.get(hole.segment);
    if (value === undefined) continue;
    if (!hole.placement) return { ok: false, segment: hole.segment, message: 'the value has no safe place' };
    if (hole.placement.kind === 'heredoc')
      heredocs.push({ segment: hole.segment, placement: hole.placement });
    const quoted = quoteFor(value, hole.placement);
    script += probe.slice(pos, hole.start) + quoted;
    delta += quoted.length - (hole.end - hole.start);
    shifts.push({ at: hole.end, delta });
    pos = hole.end;
  }
  script += probe.slice(pos);
  const mapped = (p: number): number => p + (shifts.findLast((s) => s.at <= p)?.delta ?? 0);
  for (const { segment, placement } of heredocs) {
    const problem = heredocProblem(probe, script, placement, mapped);
    if (problem) return { ok: false, segment, message: problem };
  }
  return { ok: true, script };
}

/**
 * In a quoted here-document nothing can be escaped, so the value's lines decide three things: a line
 * equal to the delimiter ends the body early; bash 5.2 inside `"$( )"` also ends it at a line that
 * only starts with the delimiter (`EOF$(cmd)` then runs `cmd`); and dash 0.5.12 drops the first
 * byte of a non-ASCII character that follows the delimiter, or part of it, at the start of a line.
 */
function heredocProblem(
  probe: string,
  script: string,
  p: { delimiter: string; bodyStart: number },
  mapped: (offset: number) => number,
): string | undefined {
  const end = bodyEnd(probe, p.bodyStart, p);
  const start = mapped(p.bodyStart);
  if (bodyEnd(script, start, p) !== mapped(end))
    return `the value would end the here-document early (a line of it reads \`${p.delimiter}\`); pass it through \`env:\` instead`;
  const risky = (body: string): number => body.split('\n').filter((l) => riskyLine(l, p.delimiter)).length;
  if (risky(script.slice(start, mapped(end))) > risky(probe.slice(p.bodyStart, end)))
    return `a line of the value starts with the delimiter \`${p.delimiter}\`, or with part of it before a non-ASCII character, which bash (inside \`$( )\`) and dash read wrongly; use another delimiter or pass the value through \`env:\``;
  return undefined;
}

/** A body line that starts with the delimiter and goes on, or with a part of it before a non-ASCII character. */
function riskyLine(line: string, delimiter: string): boolean {
  if (line.startsWith(delimiter) && line.length > delimiter.length) return true;
  for (let n = 1; n < delimiter.length && n < line.length; n++) {
    if (line[n - 1] !== delimiter[n - 1]) return false;
    if (line.charCodeAt(n) > 0x7f) return true;
  }
  return false;
}

/** Offset of the line that ends a here-document body starting at `start` (the text's end if none). */
function bodyEnd(text: string, start: number, p: { delimiter: string }): number {
  for (let at = start; at < text.length;) {
    const nl = text.indexOf('\n', at);
    const line = text.slice(at, nl < 0 ? text.length : nl);
    if (line === p.delimiter) return at;
    if (nl < 0) break;
    at = nl + 1;
  }
  return text.length;
}
