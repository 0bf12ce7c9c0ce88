import { formatConfigDuration } from '../report/index.js';
import type { HeldLock, LockHolder, RunLeases } from '../store/index.js';
import type { WorkflowIdentity } from './identity.js';
import { acquireRunLock, describeHolder, describeLeftRunning } from './lock.js';

/** Another run of the same file and vars holds the lock (exit 75): who, where, and the line to print. */
export interface LockedOutcome {
  kind: 'locked';
  holder: LockHolder;
  /** The lock file, or the store's lease (`postgres: <key>`). */
  lockFile: string;
  message: string;
}

interface TakeLockOptions {
  /** `--wait-lock`: poll up to this long. */
  lock?: false | { waitMs?: number; leaseMs?: number };
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
  onNotice?: (message: string) => void;
}

/** Where the lock lives: the state home's lock file, or a lease in the store several boxes share. */
interface LockPlace {
  leases?: RunLeases;
}

/** The overlap lock, or the outcome that says who holds it; a dead holder's lock is taken over with a warning. */
export async function takeLock(
  s: { runId: string; home: string; identity: WorkflowIdentity },
  vars: Readonly<Record<string, string>>,
  options: TakeLockOptions,
  place: LockPlace = {},
): Promise<{ kind: 'acquired'; lock: HeldLock } | { kind: 'held'; outcome: LockedOutcome }> {
  const { realFile } = s.identity;
  const waitMs = options.lock ? options.lock.waitMs : undefined;
  const got = await acquireRunLock({
    home: s.home,
    realFile,
    vars,
    runId: s.runId,
    waitMs,
    signal: options.signal,
    ...(place.leases ? { leases: place.leases } : {}),
    ...(options.lock && options.lock.leaseMs !== undefined ? { leaseMs: options.lock.leaseMs } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    onWait: (holder) =>
      options.onNotice?.(
        `waiting up to ${formatConfigDuration(waitMs ?? 0)} for the lock: ${describeHolder(holder)}`,
      ),
  });
  if (got.kind === 'held') {
    const message = `another run of ${realFile} is going on: ${describeHolder(got.holder)}; wait for it, pass --wait-lock DURATION, or --no-lock to run anyway`;
    return { kind: 'held', outcome: { kind: 'locked', holder: got.holder, lockFile: got.path, message } };
  }
  if (got.kind === 'left-running') {
    const pgids = got.groups.map((g) => `-${g.pgid}`).join(' ');
    const message =
      `the run of ${realFile} that was ${describeHolder(got.holder)} is gone, but its step processes still run: ` +
      `${describeLeftRunning(got.groups)}; wait for them to end or stop them (kill -TERM -- ${pgids}), then run again`;
    return { kind: 'held', outcome: { kind: 'locked', holder: got.holder, lockFile: got.path, message } };
  }
  if (got.tookOver) {
    const gone = place.leases ? 'whose lease expired (its holder stopped renewing it)' : 'that is gone';
    options.onWarning?.(`took over the lock of a run ${gone}: ${describeHolder(got.tookOver)}`);
  }
  return { kind: 'acquired', lock: got.lock };
}
