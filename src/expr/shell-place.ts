import { classify, type Placement, type Refusal } from './shell-classify.js';
import { parseShell, type ShellVariant } from './shell-syntax.js';

/** A shell script template as the placer sees it: literal text, values to place, raw() values. */
export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'value' }
  /** `${{ raw(x) }}`: its text when known (at run time); a stand-in word when not (validation). */
  | { kind: 'raw'; text?: string };

export type PlaceProblem =
  /** The value of segment `segment` lands in a refused position. */
  | { kind: 'refused'; segment: number; where: string; fix?: string; numeric?: true }
  /** The script does not parse; `segment`/`offset` locate the parser's position in the template. */
  | { kind: 'syntax'; variant: ShellVariant; segment: number; offset: number; message: string };

interface Hole {
  segment: number;
  /** Character offsets of the stand-in word in `probe`. */
  start: number;
  end: number;
  placement?: Placement;
}

export interface ShellLayout {
  /** The script with a stand-in word for each value. */
  probe: string;
  holes: Hole[];
  problems: PlaceProblem[];
}

const VARIANTS: readonly ShellVariant[] = ['posix', 'bash'];

/**
 * Puts a stand-in word where each value goes, parses the result as POSIX sh and as bash, and places
 * each value only where both parsers agree on a position proven safe. Pure and deterministic: run
 * and validate call it on the same text and get the same answer.
 */
export function placeShell(segments: readonly Segment[]): ShellLayout {
  const { probe, holes, starts } = buildProbe(segments);
  const layout: ShellLayout = { probe, holes, problems: [] };
  const values = holes.filter((h) => segments[h.segment]?.kind === 'value');
  if (values.length === 0) return layout;
  const bytes = Buffer.from(probe);
  const results = new Map<Hole, Array<Placement | Refusal>>(values.map((h) => [h, []]));
  for (const variant of VARIANTS) {
    const parsed = parseShell(probe, variant);
    if (!parsed.ok) {
      const at = charOffset(bytes, lineStart(bytes, parsed.line) + parsed.col - 1);
      const { segment, offset } = locate(starts, at);
      const message = parsed.message.replace(/Tasker(?:Value|Raw)\d+x/g, '${{ }}');
      layout.problems.push({ kind: 'syntax', variant, segment, offset, message });
      return layout;
    }
    for (const h of values) {
      const s = Buffer.byteLength(probe.slice(0, h.start));
      const e = s + Buffer.byteLength(probe.slice(h.start, h.end));
      results.get(h)?.push(classify(parsed.nodes, bytes, s, e));
    }
  }
  for (const h of values) {
    const [posix, bash] = results.get(h) ?? [];
    const agreed = agree(posix, bash, bytes);
    if (agreed.kind === 'refused') layout.problems.push({ ...agreed, segment: h.segment });
    else h.placement = agreed;
  }
  return layout;
}

function agree(
  posix: Placement | Refusal | undefined,
  bash: Placement | Refusal | undefined,
  bytes: Buffer,
): Placement | Refusal {
  if (!posix || posix.kind === 'refused') return posix ?? { kind: 'refused', where: 'not placed' };
  if (!bash || bash.kind === 'refused') return bash ?? { kind: 'refused', where: 'not placed' };
  if (posix.kind === 'bare' && bash.kind === 'bare' && posix.backticks === bash.backticks)
    return { ...posix, plain: posix.plain && bash.plain };
  if (JSON.stringify(posix) === JSON.stringify(bash)) {
    if (posix.kind !== 'heredoc') return posix;
    return { ...posix, bodyStart: charOffset(bytes, posix.bodyStart) };
  }
  return { kind: 'refused', where: 'in a place POSIX sh and bash read differently' };
}

/** Stand-in words: letters and digits only, so every shell reads them as one plain literal. */
function buildProbe(segments: readonly Segment[]): { probe: string; holes: Hole[]; starts: number[] } {
  let probe = '';
  const holes: Hole[] = [];
  const starts: number[] = [];
  segments.forEach((seg, i) => {
    starts.push(probe.length);
    if (seg.kind === 'text') probe += seg.text;
    else if (seg.kind === 'raw' && seg.text !== undefined) probe += seg.text;
    else {
      const word = `${seg.kind === 'raw' ? 'TaskerRaw' : 'TaskerValue'}${i}x`;
      holes.push({ segment: i, start: probe.length, end: probe.length + word.length });
      probe += word;
    }
  });
  return { probe, holes, starts };
}

function locate(starts: readonly number[], at: number): { segment: number; offset: number } {
  let segment = 0;
  starts.forEach((s, i) => {
    if (s <= at) segment = i;
  });
  return { segment, offset: at - (starts[segment] ?? 0) };
}

function lineStart(bytes: Buffer, line: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = bytes.indexOf(0x0a, at);
    if (nl < 0) return at;
    at = nl + 1;
  }
  return at;
}

function charOffset(bytes: Buffer, byteOffset: number): number {
  return bytes.subarray(0, Math.max(0, byteOffset)).toString().length;
}
