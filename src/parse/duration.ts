/** Longest duration a timer can hold (setTimeout's 32-bit limit, about 24.8 days). */
export const MAX_DURATION_MS = 2_147_483_647;

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
/** Workflow durations: `1h30m`. */
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
/** History ages may also say weeks, and a space before the unit (`2w`, `30 d`). */
const AGE_PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)/y;

/**
 * `500ms`, `30s`, `5m`, `1h`, `1h30m`, `2d` (units largest first, each once); a plain number is
 * seconds. Returns milliseconds, or undefined when the text is not a duration or is out of range.
 */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return checked(text * 1000);
  const s = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(s)) return checked(Number(s) * 1000);
  return checked(sumParts(s, DURATION_PART));
}

/**
 * An age for the history commands (`--since 24h`, `--older-than 30d`, `2w`, `1d12h`): the units of
 * parseDuration plus `w`, no upper bound, and a unit is required. Milliseconds, or undefined.
 */
export function parseAge(text: string): number | undefined {
  const ms = sumParts(text.trim(), AGE_PART);
  return ms === undefined || !Number.isFinite(ms) ? undefined : Math.round(ms);
}

/** `<number><unit>` parts, units largest first and each once; undefined when the text is not that. */
function sumParts(s: string, part: RegExp): number | undefined {
  if (s === '') return undefined;
  let total = 0;
  let lastRank = Infinity;
  part.lastIndex = 0;
  while (part.lastIndex < s.length) {
    const m = part.exec(s);
    if (!m) return undefined;
    const unit = UNIT_MS[m[2]!]!;
    // Each unit once, largest first: `1h30m`, never `30m1h` or `1m1m`.
    if (unit >= lastRank) return undefined;
    lastRank = unit;
    total += Number(m[1]) * unit;
  }
  return total;
}

function checked(ms: number | undefined): number | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0 || ms > MAX_DURATION_MS) return undefined;
  return Math.round(ms);
}
