import { createReadStream, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveRun, stepLabel, stepStream, tailLines, withHistory } from '../../api/history.js';
import { displayName, instanceLabel } from '../../model/labels.js';
import { currentProcess, type HistoryStore, type RunRecord, type StepRecord } from '../../store/index.js';
import type { Io } from '../io.js';
import { UsageError } from '../usage-error.js';

const FOLLOW_POLL_MS = 250;

/**
 * `tasker logs RUN`: the run's transcript (run.log). `tasker logs RUN STEP[@HOST]`: that step's
 * stdout file on stdout and stderr file on stderr. Exit 2 when the run or step is unknown.
 */
export async function logsCommand(
  ref: string,
  step: string | undefined,
  flags: { follow: boolean; store?: string },
  io: Io,
): Promise<number> {
  if (flags.follow && step !== undefined)
    throw new UsageError(
      "logs --follow follows the whole run transcript (it has every step's lines): drop STEP",
    );
  return withHistory(
    async (store) => {
      const found = await resolveRun(store, ref);
      if ('error' in found) {
        io.err(`tasker: ${found.error}`);
        return 2;
      }
      const log = join(found.run.runDir, 'run.log');
      // A run made on another box (or whose run directory is gone): the copies the store keeps.
      if (!existsSync(log) && store.kind === 'postgres')
        return printElsewhere(store, found.run, step, flags.follow, io);
      if (flags.follow) return follow(store, found.run, log, io);
      if (step === undefined) return (await copyFile(log, io.stdout)) ? 0 : missing(log, io);
      return printStep(store, await store.stepsOf(found.run.id), step, io);
    },
    { store: flags.store },
  );
}

/**
 * A run made on another box (its run.log is there): each step's output as the store keeps it, in
 * the order the steps were recorded; `--follow` needs that box's transcript.
 */
async function printElsewhere(
  store: HistoryStore,
  run: RunRecord,
  step: string | undefined,
  follow: boolean,
  io: Io,
): Promise<number> {
  if (follow) {
    io.err(
      `tasker: run ${run.id} (on ${run.host}): --follow reads the run's transcript, which is on that box; \`tasker logs ${run.id}\` prints the output the history keeps`,
    );
    return 2;
  }
  const steps = await store.stepsOf(run.id);
  if (step !== undefined) return printStep(store, steps, step, io);
  io.err(
    `tasker: the transcript of run ${run.id} is on ${run.host} (${join(run.runDir, 'run.log')}); the output of each step, as the history keeps it:`,
  );
  const withOutput = steps.filter((s) => s.stdoutFile || s.stderrFile);
  for (const s of withOutput) await printRow(store, s, true, io);
  return 0;
}

/** `wanted` is a step as any output names it: its id or label (`steps[2] then[1]`), with `@HOST` or not. */
async function printStep(store: HistoryStore, steps: StepRecord[], wanted: string, io: Io): Promise<number> {
  const rows = matchSteps(
    steps.filter((s) => s.stdoutFile || s.stderrFile),
    wanted,
  );
  if (rows.length === 0) {
    const known = [...new Set(steps.filter((s) => s.stdoutFile).map((s) => stepLabel(s)))];
    io.err(
      `tasker: no output recorded for step "${wanted}" in this run; steps with output: ${known.join(', ') || 'none'}`,
    );
    return 2;
  }
  for (const s of rows) {
    const printed = await printRow(store, s, rows.length > 1, io);
    // An unreachable host ran nothing: say so rather than print nothing at all.
    if (!printed && s.status === 'unreachable')
      io.err(
        `tasker: ${stepLabel(s)} was unreachable, so nothing ran there: ${s.error?.message ?? 'no connection'}`,
      );
  }
  return 0;
}

/**
 * The rows `wanted` names: `STEP` or `STEP@HOST` (a host may hold `@`, as may a step's name, so
 * every split is tried, whole string first). An id wins over a label: a step named `build` never
 * shadows the step whose id is `build`.
 */
function matchSteps(rows: readonly StepRecord[], wanted: string): StepRecord[] {
  const splits: [string, string | undefined][] = [[wanted, undefined]];
  for (let at = wanted.indexOf('@'); at > 0; at = wanted.indexOf('@', at + 1))
    splits.push([wanted.slice(0, at), wanted.slice(at + 1)]);
  for (const by of [(s: StepRecord) => s.id, (s: StepRecord) => displayName(s.id, s.name)])
    for (const [key, host] of splits) {
      const found = rows.filter((s) => by(s) === key && (host === undefined || s.host === host));
      if (found.length > 0) return found;
    }
  return [];
}

/** A step's stdout on stdout and stderr on stderr: this box's files, else the store's copy; false when it has neither. */
async function printRow(store: HistoryStore, s: StepRecord, header: boolean, io: Io): Promise<boolean> {
  if (header) io.out(`--- ${instanceLabel(displayName(s.id, s.name), s.host ?? 'local')} ---`);
  let printed = false;
  for (const [stream, out] of [
    ['stdout', io.stdout],
    ['stderr', io.stderr],
  ] as const) {
    const where = await stepStream(store, s, stream);
    if (where.kind === 'file') printed = (await copyFile(where.file, out)) || printed;
    else if (where.kind === 'stored') {
      out.write(where.output.data);
      printed = true;
    }
  }
  return printed;
}

function missing(file: string, io: Io): number {
  io.err(`tasker: ${file} is missing (the run directory was pruned or deleted)`);
  return 2;
}

/** Streams a file to `out`; false when it does not exist. */
function copyFile(file: string, out: NodeJS.WritableStream): Promise<boolean> {
  return new Promise((resolve) => {
    const input = createReadStream(file);
    input.on('error', () => resolve(false));
    input.on('end', () => resolve(true));
    input.pipe(out, { end: false });
  });
}

/** Prints the transcript as it grows until the run has ended (or its process is found gone). */
async function follow(store: HistoryStore, run: RunRecord, log: string, io: Io): Promise<number> {
  let offset = 0;
  let graceLeft = 8;
  const host = currentProcess().host;
  for (;;) {
    const ended = await runEnded(store, run.id, host);
    offset = await printFrom(log, offset, io);
    // The history may record the end a moment before run.log gets its last line: wait for that line a little.
    if (ended && (graceLeft-- <= 0 || tailLines(log, 1)[0]?.includes(' run-end ') === true)) return 0;
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
  }
}

async function runEnded(store: HistoryStore, id: string, host: string): Promise<boolean> {
  await store.sweepInterrupted(host);
  return (await store.getRun(id))?.status !== 'running';
}

async function printFrom(file: string, offset: number, io: Io): Promise<number> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return offset;
  }
  try {
    const buf = Buffer.alloc(64 * 1024);
    let at = offset;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, at);
      if (bytesRead === 0) return at;
      io.stdout.write(buf.subarray(0, bytesRead));
      at += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
