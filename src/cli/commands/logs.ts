import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveRun, tailLines, withHistory } from '../../api/history.js';
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
  flags: { follow: boolean },
  io: Io,
): Promise<number> {
  if (flags.follow && step !== undefined)
    throw new UsageError(
      "logs --follow follows the whole run transcript (it has every step's lines): drop STEP",
    );
  return withHistory(async (store) => {
    const found = resolveRun(store, ref);
    if ('error' in found) {
      io.err(`tasker: ${found.error}`);
      return 2;
    }
    const log = join(found.run.runDir, 'run.log');
    if (flags.follow) return follow(store, found.run, log, io);
    if (step === undefined) return (await copyFile(log, io.stdout)) ? 0 : missing(log, io);
    return printStep(store.stepsOf(found.run.id), step, io);
  });
}

async function printStep(steps: StepRecord[], wanted: string, io: Io): Promise<number> {
  const at = wanted.indexOf('@');
  const id = at < 0 ? wanted : wanted.slice(0, at);
  const host = at < 0 ? undefined : wanted.slice(at + 1);
  const rows = steps.filter(
    (s) => s.id === id && (host === undefined || s.host === host) && (s.stdoutFile || s.stderrFile),
  );
  if (rows.length === 0) {
    const ids = [
      ...new Set(steps.filter((s) => s.stdoutFile).map((s) => (s.host ? `${s.id}@${s.host}` : s.id))),
    ];
    io.err(
      `tasker: no output recorded for step "${wanted}" in this run; steps with output: ${ids.join(', ') || 'none'}`,
    );
    return 2;
  }
  for (const s of rows) {
    if (rows.length > 1) io.out(`--- ${s.id}@${s.host ?? 'local'} ---`);
    if (s.stdoutFile) await copyFile(s.stdoutFile, io.stdout);
    if (s.stderrFile) await copyFile(s.stderrFile, io.stderr);
  }
  return 0;
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
    const ended = runEnded(store, run.id, host);
    offset = await printFrom(log, offset, io);
    // The history may record the end a moment before run.log gets its last line: wait for that line a little.
    if (ended && (graceLeft-- <= 0 || tailLines(log, 1)[0]?.includes(' run-end ') === true)) return 0;
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
  }
}

function runEnded(store: HistoryStore, id: string, host: string): boolean {
  store.sweepInterrupted(host);
  return store.getRun(id)?.status !== 'running';
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
