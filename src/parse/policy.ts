import type { BlockPolicy } from '../model/ast.js';

/** `all`, `any`, `majority`, `min_success(N)` (N ≥ 1), `max_failed(N)`, `max_success(N)`, `min_failed(N)` (N ≥ 0); else undefined. */
export function parsePolicy(text: string): BlockPolicy | undefined {
  const s = text.trim();
  if (s === 'all' || s === 'any' || s === 'majority') return { kind: s };
  const m = /^(min_success|max_failed|max_success|min_failed)\s*\(\s*(\d{1,9})\s*\)$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[2]);
  switch (m[1]) {
    case 'min_success':
      return n >= 1 ? { kind: 'min_success', n } : undefined;
    case 'max_success':
      return { kind: 'max_success', n };
    case 'min_failed':
      return { kind: 'min_failed', n };
    default:
      return { kind: 'max_failed', n };
  }
}

export const POLICY_FORMS =
  'all, any, majority, min_success(N), max_failed(N), max_success(N) or min_failed(N)';
