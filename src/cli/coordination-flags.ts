import type { OncePerOptions } from '../api/once-per.js';
import { parseDuration } from '../parse/index.js';
import { UsageError } from './usage-error.js';

/**
 * `--once-per DURATION` to the run option, with the clock skew bound from TASKER_CLOCK_SKEW. A
 * resumed or partial run is an operator's repair of one run, not the slot's scheduled run: refused.
 */
export function oncePerOption(
  flags: { oncePer?: string; resume?: string | true; startFrom?: string },
  env: Readonly<Record<string, string | undefined>>,
): OncePerOptions | undefined {
  if (flags.oncePer === undefined) return undefined;
  const periodMs = parseDuration(flags.oncePer);
  if (periodMs === undefined || periodMs === 0)
    throw new UsageError(
      `--once-per "${flags.oncePer}": expected a duration above zero such as 15m, 1h or 1d`,
    );
  if (flags.resume !== undefined)
    throw new UsageError('--once-per cannot be used with --resume: resume the run without --once-per');
  if (flags.startFrom !== undefined)
    throw new UsageError('--once-per cannot be used with --start-from: start from a step without --once-per');
  const skew = env.TASKER_CLOCK_SKEW;
  if (skew === undefined || skew === '') return { periodMs };
  const skewMs = parseDuration(skew);
  if (skewMs === undefined)
    throw new UsageError(`TASKER_CLOCK_SKEW "${skew}": expected a duration such as 5s or 500ms`);
  return { periodMs, skewMs };
}

/** TASKER_LOCK_LEASE: how long a lock lease in a PostgreSQL store outlives its last renewal. */
export function lockLeaseMs(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const text = env.TASKER_LOCK_LEASE;
  if (text === undefined || text === '') return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms < 1000)
    throw new UsageError(`TASKER_LOCK_LEASE "${text}": expected a duration of at least 1s such as 60s or 5m`);
  return ms;
}
