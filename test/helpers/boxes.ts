import type { ChildProcess } from 'node:child_process';
import { collect, runCli, startCli, tempDir, waitForOutput, type CliResult } from './cli.js';

/** Ends at once: the job a crontab line starts. */
export const TICK = `version: 1
name: tick
steps:
  - id: tick
    run: echo ticked
`;

/** Holds its run, and so the workflow's lock, until the file $GO exists. */
export const HOLD = `version: 1
name: hold
steps:
  - id: hold
    run: echo holding; while [ ! -f "$GO" ]; do sleep 0.05; done
`;

/**
 * A box: a state home of its own and the shared store in TASKER_STORE; several of them are what
 * several machines running the same crontab are, but for the hostname.
 */
export function box(store: string, extra: Record<string, string> = {}) {
  return { TASKER_HOME: tempDir('tasker-box-'), TASKER_STORE: store, ...extra };
}

/** Starts `tasker run --output plain ARGS FILE` (HOLD, say) and resolves once its step prints `holding`. */
export async function startHolding(
  file: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): Promise<{ child: ChildProcess; done: Promise<CliResult> }> {
  const child = startCli(['run', '--output', 'plain', ...args, file], env);
  const done = collect(child);
  await waitForOutput(child, (t) => t.includes('| holding'));
  return { child, done };
}

/** `n` starts of `tasker run --once-per PERIOD FILE` at the same moment, each with the env `envOf` makes. */
export function raceForSlot(
  n: number,
  file: string,
  period: string,
  envOf: () => Record<string, string>,
): Promise<CliResult[]> {
  return Promise.all(
    Array.from({ length: n }, () =>
      runCli(['run', '--output', 'plain', '--once-per', period, file], envOf()),
    ),
  );
}
