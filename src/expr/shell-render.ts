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
 * In a quoted here-document nothing can be escaped, so two things depend on the value: a line equal
 * to the delimiter ends the body early, and dash (0.5.12) drops the first byte of a non-ASCII
 * character that follows the delimiter at the start of a line (`EOFé` arrives as `EOF\xa9`).
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
  const mangled = (body: string): number =>
    body.split('\n').filter((l) => l.startsWith(p.delimiter) && l.charCodeAt(p.delimiter.length) > 0x7f)
      .length;
  if (mangled(script.slice(start, mapped(end))) > mangled(probe.slice(p.bodyStart, end)))
    return `a line of the value starts with the delimiter \`${p.delimiter}\` followed by a non-ASCII character, which dash corrupts; use another delimiter or pass the value through \`env:\``;
  return undefined;
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
