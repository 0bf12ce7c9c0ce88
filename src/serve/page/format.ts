import { displayName, instanceLabel } from '../../model/labels.js';
import type { StepView } from '../api-types.js';

/** A step as the CLI labels it (`deploy`, `clean then[2]`, `deploy@web1`), never an internal path id. */
export function stepLabel(s: Pick<StepView, 'id' | 'name' | 'host'>, withHost = true): string {
  const name = displayName(s.id, s.name);
  return withHost ? instanceLabel(name, s.host ?? undefined) : name;
}

/** `1.2s`, `3m04s`, `2h05m`; `-` when unknown (the CLI's format). */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `2026-11-22 03:15:00` in the browser's time zone. */
export function localTime(iso: string | null): string {
  if (!iso) return '-';
  const d = new Date(iso);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export const FAILING: readonly string[] = ['failed', 'timed-out', 'unreachable', 'cancelled', 'interrupted'];
