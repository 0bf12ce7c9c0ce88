import type { BlockPolicy } from '../model/ast.js';

/** `all`, `any`, `majority`, `min_success(N)` (N ≥ 1) or `max_failed(N)` (N ≥ 0); else undefined. */
export function parsePolicy(text: string): BlockPolicy | undefined {
  const s = text.trim();
  if (s === 'all' || s === 'any' || s === 'majority') return { kind: s };
  const m = /^(min_success|max_failed)\s*\(\s*(\d{1,9})\s*\)$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[2]);
  if (m[1] === 'min_success') return n >= 1 ? { kind: 'min_success', n } : undefined;
  return { kind: 'max_failed', n };
}

export const POLICY_FORMS = 'all, any, majority, min_success(N) or max_failed(N)';
