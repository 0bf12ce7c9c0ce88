import type { Reporter, RunEvent } from '../model/events.js';

/** Fans events out to reporters; a reporter that throws is reported once and then ignored, never the run. */
export function fanOut(
  reporters: readonly Reporter[],
  onError: (err: unknown) => void,
): (e: RunEvent) => void {
  const broken = new Set<Reporter>();
  return (event) => {
    for (const reporter of reporters) {
      if (broken.has(reporter)) continue;
      const handler = reporter[event.kind] as ((e: RunEvent) => void) | undefined;
      try {
        handler?.(event);
      } catch (err) {
        broken.add(reporter);
        onError(err);
      }
    }
  };
}

/** Closes every reporter; each one that could not write its file (a full disk, a missing directory) is reported, not ignored. */
export async function closeAll(
  reporters: readonly Reporter[],
  onError: (err: unknown) => void,
): Promise<void> {
  const closed = await Promise.allSettled(reporters.map(async (r) => r.close?.()));
  for (const c of closed) if (c.status === 'rejected') onError(c.reason);
}

/** Per step instance, how much output the run dir's own logs keep; the step's output files keep all. */
const LOG_OUTPUT_BUDGET = { bytes: 1024 * 1024, lines: 10_000 };

/**
 * Wraps a reporter so each step instance passes at most `budget` bytes and lines of output, then one
 * line saying where the rest is: a step printing 1 GiB must not be copied into events.ndjson and
 * run.log as well.
 */
export function withOutputBudget(reporter: Reporter, budget = LOG_OUTPUT_BUDGET): Reporter {
  const used = new Map<string, { bytes: number; lines: number }>();
  const onOutput = reporter['step-output'];
  if (!onOutput) return reporter;
  const within = (u: { bytes: number; lines: number }) => u.bytes <= budget.bytes && u.lines <= budget.lines;
  return {
    ...reporter,
    'step-output': (e) => {
      const key = `${e.id}@${e.host ?? ''}`;
      const u = used.get(key) ?? { bytes: 0, lines: 0 };
      if (!within(u)) return;
      u.bytes += Buffer.byteLength(e.line) + 1;
      u.lines += 1;
      used.set(key, u);
      if (within(u)) return onOutput(e);
      const line = `[tasker: more output of this step is only in its .${e.stream} file in the run dir]`;
      onOutput({ ...e, line });
    },
  };
}
