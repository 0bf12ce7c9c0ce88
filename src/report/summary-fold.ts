import type { StepResult, StepStatus } from '../model/result.js';
import { formatElapsed } from './durations.js';
import { hostsWithCount } from './host-ranges.js';
import { baseId, displayName } from '../model/labels.js';

/** One row of the summary table: a step instance, or the hosts of a large fan-out that ended alike. */
export interface SummaryRow {
  cells: [step: string, host: string, status: string, exit: string, duration: string];
  status: StepStatus;
}

/** Statuses folded into one row per (fan-out, status, exit); failures always keep a row per host. */
const FOLDED: ReadonlySet<StepStatus> = new Set(['ok', 'skipped', 'cancelled']);

const exitCell = (s: StepResult): string => (s.exitCode !== null ? String(s.exitCode) : (s.signal ?? '-'));

function rowOf(s: StepResult): SummaryRow {
  return {
    cells: [
      displayName(baseId(s.id, s.host), s.name),
      s.host ?? '-',
      s.status,
      exitCell(s),
      formatElapsed(s.durationMs),
    ],
    status: s.status,
  };
}

/**
 * The table's rows in the order given; instances of the fan-outs in `grouped` that ended ok,
 * skipped or cancelled with the same exit become one row at the place of the first of them
 * (`web[001-254] (254 hosts)`, durations as `min–max`).
 */
export function summaryRows(steps: readonly StepResult[], grouped: ReadonlySet<string>): SummaryRow[] {
  const rows: (SummaryRow | { fold: StepResult[] })[] = [];
  const folds = new Map<string, StepResult[]>();
  for (const s of steps) {
    if (s.host === undefined || !grouped.has(s.id) || !FOLDED.has(s.status)) {
      rows.push(rowOf(s));
      continue;
    }
    const key = `${s.id}\u0000${s.status}\u0000${exitCell(s)}`;
    const fold = folds.get(key);
    if (fold) fold.push(s);
    else {
      const list = [s];
      folds.set(key, list);
      rows.push({ fold: list });
    }
  }
  return rows.map((r) => ('fold' in r ? foldedRow(r.fold) : r));
}

function foldedRow(list: readonly StepResult[]): SummaryRow {
  const first = list[0]!;
  if (list.length === 1) return rowOf(first);
  const ms = list.map((s) => s.durationMs);
  const [lo, hi] = [Math.min(...ms), Math.max(...ms)];
  const took =
    formatElapsed(lo) === formatElapsed(hi) ? formatElapsed(hi) : `${formatElapsed(lo)}–${formatElapsed(hi)}`;
  return {
    cells: [
      displayName(baseId(first.id, first.host), first.name),
      hostsWithCount(
        list.map((s) => s.host ?? '-'),
        60,
      ),
      first.status,
      exitCell(first),
      took,
    ],
    status: first.status,
  };
}
