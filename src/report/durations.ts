/** Elapsed time for people: `450ms`, `1.2s`, `2m03s`, `1h02m`; `-` when unknown. */
export function formatElapsed(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m${pad2(totalSeconds % 60)}s`;
  return `${Math.floor(totalSeconds / 3600)}h${pad2(Math.floor(totalSeconds / 60) % 60)}m`;
}

/** Seconds with millisecond precision for machines: `1.234s`. */
export function formatSeconds(ms: number): string {
  return `${secondsValue(ms)}s`;
}

/** Seconds with three decimals, no unit (JUnit `time`). */
export function secondsValue(ms: number): string {
  return (Number.isFinite(ms) ? Math.max(0, ms) / 1000 : 0).toFixed(3);
}

/** A configured duration as the file would write it: `500ms`, `1.5s`, `30s`, `1m30s`, `2h`. */
export function formatConfigDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 1000 !== 0) return `${ms / 1000}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
