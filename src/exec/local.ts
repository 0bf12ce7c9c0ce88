import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { buildLocalSpawn, checkCwd, describe, spawnError, type LocalSpawn } from './local-spawn.js';
import { killGroup, signalGroup } from './process-group.js';
import { ExecError, type ExecOutcome, type ExecRequest, type ExecSink, type Executor } from './types.js';

/**
 * Local executor: each command leads its own process group (`detached`), so a timeout or cancel
 * kills grandchildren too: SIGTERM to the group, `killGraceMs`, then SIGKILL. `pty` is ignored
 * locally (output is always piped). `sudo` runs `sudo -u USER -- …`: with a password, `-S -p ''`
 * reads it from the first stdin line (never argv); without one, `-n` fails fast instead of prompting.
 * Request env names are passed through sudo with `--preserve-env=NAMES` (sudoers must allow it).
 */

/** After the leader exits, how long background processes may hold the pipes before reading stops. */
export const PIPE_LINGER_MS = 1000;
const LINGER_NOTE =
  'a background process kept the output open after the command exited; its later output was not recorded';

/**
 * Feeds chunks to the sink, not reading while the sink's promise is pending. Uses 'readable' rather
 * than 'data' + pause(): Node resumes paused stdio streams when the child exits, 'readable' it leaves be.
 */
function pump(
  stream: Readable | null,
  write: (chunk: Buffer) => void | Promise<void>,
  fail: (e: unknown) => void,
): void {
  if (stream === null) return;
  let waiting = false;
  const next = (): void => {
    waiting = false;
    drain();
  };
  const drain = (): void => {
    while (!waiting) {
      const chunk = stream.read() as Buffer | null;
      if (chunk === null) return;
      let pending: void | Promise<void>;
      try {
        pending = write(chunk);
      } catch (error) {
        fail(error);
        continue;
      }
      if (pending === undefined) continue;
      waiting = true;
      pending.then(next, (error: unknown) => (fail(error), next()));
    }
  };
  stream.on('error', () => undefined);
  stream.on('readable', () => {
    if (!waiting) drain();
  });
}

function start(spawn: LocalSpawn, req: ExecRequest) {
  return execa(spawn.file, spawn.args, {
    env: req.env,
    extendEnv: true,
    cwd: req.cwd,
    stdin: spawn.input === undefined ? 'ignore' : 'pipe',
    input: spawn.input,
    buffer: false,
    reject: false,
    detached: true,
    encoding: 'buffer',
  });
}

async function supervise(
  child: ReturnType<typeof start>,
  pid: number,
  req: ExecRequest,
  sink: ExecSink,
): Promise<ExecOutcome> {
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let note: string | undefined;
  let sinkError: unknown;
  let linger: NodeJS.Timeout | undefined;
  let killing: Promise<void> | undefined;
  const fail = (e: unknown): void => void (sinkError ??= e);
  const stopReading = (): void => [child.stdout, child.stderr].forEach((s) => s?.destroy());
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  pump(child.stdout, (c) => sink.stdout(c), fail);
  pump(child.stderr, (c) => sink.stderr(c), fail);
  child.once('exit', (code, signal) => {
    exit = { code, signal };
    if (killing !== undefined) return;
    linger = setTimeout(() => {
      note = LINGER_NOTE;
      stopReading();
    }, PIPE_LINGER_MS);
  });
  const onAbort = (): void => {
    clearTimeout(linger);
    killing = killGroup(pid, req.killGraceMs, closed).then(stopReading);
  };
  req.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await closed;
    await killing;
  } finally {
    clearTimeout(linger);
    req.signal.removeEventListener('abort', onAbort);
  }
  await child.then(undefined, () => undefined);
  return toOutcome(req, exit, note, sinkError);
}

function toOutcome(
  req: ExecRequest,
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined,
  note: string | undefined,
  sinkError: unknown,
): ExecOutcome {
  if (sinkError !== undefined) {
    const detail = sinkError instanceof Error ? sinkError.message : 'unknown error';
    const message = `output handling failed for "${describe(req.command)}": ${detail}`;
    throw new ExecError('internal', message, { cause: sinkError });
  }
  const outcome: ExecOutcome = { exitCode: exit?.code ?? null, signal: exit?.signal ?? null };
  return note === undefined ? outcome : { ...outcome, note };
}

async function execLocal(req: ExecRequest, sink: ExecSink, live: Set<number>): Promise<ExecOutcome> {
  const what = describe(req.command);
  if (req.command.kind === 'argv' && req.command.argv.length === 0)
    throw new ExecError('spawn', 'cannot run an empty argv command; give at least the program name');
  if (req.cwd !== undefined) checkCwd(req.cwd, what);
  if (req.signal.aborted)
    return { exitCode: null, signal: null, note: 'not started: cancelled before it began' };
  const spawn = buildLocalSpawn(req);
  let child: ReturnType<typeof start>;
  try {
    child = start(spawn, req);
  } catch (cause) {
    // execa validates options synchronously, e.g. a NUL byte in an argument or env value.
    const detail = cause instanceof Error ? cause.message : 'invalid arguments';
    throw new ExecError('spawn', `cannot run "${what}": ${detail}`, { cause });
  }
  const pid = child.pid;
  if (pid === undefined) {
    const result = await child;
    throw spawnError(what, spawn, result.code, result.originalMessage);
  }
  live.add(pid);
  try {
    return await supervise(child, pid, req, sink);
  } finally {
    live.delete(pid);
  }
}

export function createLocalExecutor(): Executor {
  const live = new Set<number>();
  return {
    exec: (req, sink) => execLocal(req, sink, live),
    // Safety net: the runner aborts steps before closing, so normally nothing is left to kill.
    close: () => {
      for (const pid of live) signalGroup(pid, 'SIGKILL');
      return Promise.resolve();
    },
  };
}

export { buildLocalSpawn, type LocalSpawn } from './local-spawn.js';
