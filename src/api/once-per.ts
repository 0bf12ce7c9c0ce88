import { formatConfigDuration } from '../report/index.js';
import { slotAt, type SlotClaims, type SlotHolder, type SlotKey } from '../store/index.js';
import type { WorkflowIdentity } from './identity.js';

/** How far apart two boxes' clocks may be and still claim the same slot (TASKER_CLOCK_SKEW). */
const DEFAULT_CLOCK_SKEW_MS = 5_000;

export interface OncePerOptions {
  periodMs: number;
  /** The clock skew bound; default DEFAULT_CLOCK_SKEW_MS; capped at a quarter of the period. */
  skewMs?: number;
  /** The clock the slot is read from (tests inject one). */
  now?: () => number;
}

type SlotClaim =
  | { kind: 'claimed'; key: SlotKey }
  /** Another run has this slot (`loud` false), or this box's clock is behind (`loud` true: said even under -q). */
  | { kind: 'skip'; message: string; loud: boolean };

/** Claims this run's schedule slot for the workflow (its real file and vars hash), or says who has it. */
export async function claimSlot(
  claims: SlotClaims,
  identity: WorkflowIdentity,
  me: { host: string; pid: number },
  o: OncePerOptions,
): Promise<SlotClaim> {
  const now = (o.now ?? Date.now)();
  const { slot, startsAt, allowanceMs } = slotAt(now, o.periodMs, o.skewMs ?? DEFAULT_CLOCK_SKEW_MS);
  const key: SlotKey = { file: identity.realFile, varsHash: identity.varsHash, periodMs: o.periodMs, slot };
  const got = await claims.claim(key, me, now);
  if (got.kind === 'claimed') return { kind: 'claimed', key };
  const which = `the ${formatPeriod(o.periodMs)} slot of ${identity.realFile} from ${iso(startsAt)}`;
  if (got.kind === 'taken')
    return {
      kind: 'skip',
      loud: false,
      message: `${which} is taken: ${describeSlotHolder(got.holder)}; not running it here`,
    };
  const skew = formatConfigDuration(allowanceMs);
  return {
    kind: 'skip',
    loud: true,
    message:
      `not running ${identity.realFile}: the slot from ${iso(got.newest * o.periodMs)} is already claimed, later than ` +
      `this box's ${iso(startsAt)}: this box's clock is behind another's by more than ${skew}; fix its clock (NTP), or raise TASKER_CLOCK_SKEW`,
  };
}

/** `pid 4242 on web1 at 2026-12-04T20:15:00.412Z (run 20261204T201500Z-3f9a1c)`. */
function describeSlotHolder(h: SlotHolder): string {
  const run = h.runId ? `run ${h.runId}` : 'its run not begun, or it never began';
  return `pid ${h.pid} on ${h.host} claimed it at ${iso(h.claimedAt)} (${run})`;
}

/** `15m`, `1h30m`, `2d` (formatConfigDuration knows no days). */
function formatPeriod(ms: number): string {
  const day = 86_400_000;
  if (ms < day) return formatConfigDuration(ms);
  return `${Math.floor(ms / day)}d${ms % day ? formatConfigDuration(ms % day) : ''}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
