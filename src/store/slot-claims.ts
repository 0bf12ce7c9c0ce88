/**
 * `--once-per PERIOD`: the schedule slot a run claims, and the store's record of who claimed it.
 * A slot is `floor((now + allowance) / period)` in milliseconds since the epoch (UTC): a run that
 * starts up to `allowance` before a boundary belongs to the slot that begins there, so boxes whose
 * clocks disagree by up to the allowance, fired for the same boundary, claim the same slot.
 */

/** Which slot of which workflow: the workflow is its real file path and the hash of its `--var`s. */
export interface SlotKey {
  file: string;
  varsHash: string;
  periodMs: number;
  slot: number;
}

/** Who claimed a slot, and the run it started (absent until the run has begun, or if it never did). */
export interface SlotHolder {
  host: string;
  pid: number;
  claimedAt: number;
  runId: string | null;
}

export type ClaimOutcome =
  | { kind: 'claimed' }
  | { kind: 'taken'; holder: SlotHolder }
  /** A later slot of this workflow is already claimed: this box's clock is behind the others'. */
  | { kind: 'behind'; newest: number };

/** Where claims live: the same store as the history (the SQLite file of one box, or PostgreSQL for many). */
export interface SlotClaims {
  /** Claims the slot unless it (or a later one) is claimed; a claim is final, never taken over. */
  claim(key: SlotKey, me: { host: string; pid: number }, now: number): Promise<ClaimOutcome>;
  /** Writes the id of the run the claim started. */
  recordRun(key: SlotKey, runId: string): Promise<void>;
}

/** The skew allowance never exceeds a quarter of the period, so a boundary's runs stay in one slot. */
function effectiveAllowance(periodMs: number, skewMs: number): number {
  return Math.max(0, Math.min(skewMs, Math.floor(periodMs / 4)));
}

/** The slot `now` falls in, and when that slot begins. */
export function slotAt(
  now: number,
  periodMs: number,
  skewMs: number,
): { slot: number; startsAt: number; allowanceMs: number } {
  const allowanceMs = effectiveAllowance(periodMs, skewMs);
  const slot = Math.floor((now + allowanceMs) / periodMs);
  return { slot, startsAt: slot * periodMs, allowanceMs };
}

/** Claims of older slots than this many before the one claimed are deleted: the table stays small. */
export const KEEP_PAST_SLOTS = 2;
