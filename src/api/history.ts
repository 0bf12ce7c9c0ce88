import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { displayName, instanceLabel } from '../model/labels.js';
import { parseAge } from '../parse/duration.js';
import {
  openStore,
  stateHome,
  type HistoryStore,
  type RunRecord,
  type StepRecord,
  type StoredOutput,
} from '../store/index.js';

/** `--since`: an age back from `now` (24h, 7d) or a date / date-time (2026-11-01, 2026-11-01T06:00Z). */
export function parseSince(text: string, now: number): number | undefined {
  const age = parseAge(text);
  if (age !== undefined) return now - age;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Opens the history for one command and closes it after: `store` (`--store`), else `$TASKER_STORE`,
 * else the state home's SQLite file.
 */
export async function withHistory<T>(
  fn: (store: HistoryStore) => T | Promise<T>,
  o: { store?: string; env?: Readonly<Record<string, string | undefined>> } = {},
): Promise<T> {
  const env = o.env ?? process.env;
  const store = await openStore(o.store ?? env.TASKER_STORE, stateHome(env));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A run as `history --json` and `show --json` print it (stable field names). */
export function publicRun(r: RunRecord): Record<string, unknown> {
  return {
    id: r.id,
    workflow: r.workflow,
    file: r.file,
    status: r.status,
    exitCode: r.exitCode,
    startedAt: new Date(r.startedAt).toISOString(),
    endedAt: r.endedAt === null ? null : new Date(r.endedAt).toISOString(),
    durationMs: r.durationMs,
    host: r.host,
    pid: r.pid,
    runDir: r.runDir,
    failedStep: r.failedStep,
    failedLabel: r.failedLabel,
    error: r.error,
    resumedFrom: r.resumedFrom,
    alert: r.alert,
  };
}

/** A recorded step as the run's output named it: `deploy@web1`, `steps[2] then[1]`. */
export function stepLabel(s: StepRecord): string {
  return instanceLabel(displayName(s.id, s.name), s.host ?? undefined);
}

/** The last `lines` lines of a file, reading at most its last 64 KiB; [] when it is missing. */
export function tailLines(file: string | null, lines: number): string[] {
  if (!file) return [];
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = statSync(file).size;
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const all = buf.toString('utf8').replace(/\n$/, '').split('\n');
    return all[0] === '' && all.length === 1 ? [] : all.slice(-lines);
  } finally {
    closeSync(fd);
  }
}

/**
 * Where a step's stream can be read: its file when it is on this box, else the copy the store keeps
 * (PostgreSQL: a run made on another box), else nothing.
 */
export async function stepStream(
  store: HistoryStore,
  s: StepRecord,
  stream: 'stdout' | 'stderr',
): Promise<{ kind: 'file'; file: string } | { kind: 'stored'; output: StoredOutput } | { kind: 'none' }> {
  const file = stream === 'stdout' ? s.stdoutFile : s.stderrFile;
  if (file && existsSync(file)) return { kind: 'file', file };
  const stored = await store.stepOutput(s.seq, stream);
  return stored ? { kind: 'stored', output: stored } : { kind: 'none' };
}

/** The last `lines` lines of a step's stream, from this box's file or the store's copy. */
export async function stepTail(
  store: HistoryStore,
  s: StepRecord,
  stream: 'stdout' | 'stderr',
  lines: number,
): Promise<string[]> {
  const where = await stepStream(store, s, stream);
  if (where.kind === 'file') return tailLines(where.file, lines);
  if (where.kind === 'none') return [];
  const all = where.output.data.toString('utf8').replace(/\n$/, '').split('\n');
  return all.length === 1 && all[0] === '' ? [] : all.slice(-lines);
}

/** Columns padded to their widest cell; the last column is not padded. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** `last`, an id or a unique prefix, to a run; or a message naming the problem and the fix. */
export async function resolveRun(
  store: HistoryStore,
  ref: string,
): Promise<{ run: RunRecord } | { error: string }> {
  const found = await store.findRun(ref);
  if (found.kind === 'found') return { run: found.run };
  if (found.kind === 'ambiguous')
    return { error: `run "${ref}" is ambiguous: it matches ${found.ids.join(', ')}; give more of the id` };
  return {
    error:
      ref === 'last'
        ? `no runs recorded in ${store.label}; \`tasker run FILE\` records one`
        : `no run "${ref}" in ${store.label}; see \`tasker history\` for run ids`,
  };
}
