import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { copyLocal } from './local-copy.js';
import { buildLocalSpawn, checkCwd, describe, spawnError, type LocalSpawn } from './local-spawn.js';
import { killGroup, signalGroup } from './process-group.js';
import { ExecError, type ExecOutcome, type ExecRequest, type ExecSink, type Executor } from './types.js';
import { createProcessRegistry, type ProcessRegistry } from './process-registry.js';
import { startWatchdog, type Watchdog } from './watchdog.js';

/**
 * Local executor: each command leads its own process group (`detached`), so a timeout or cancel
 * kills grandchildren too: SIGTERM to the group, `killGraceMs`, then SIGKILL. `pty` is ignored
 * locally (output is always piped). `sudo` runs `sudo -u USER -- …`: with a password, `-S -p ''`
 * reads it from the first stdin line (never argv); without one, `-n` fails fast instead of prompting.
 * Request env names are passed through sudo with `--preserve-env=NAMES` (sudoers must allow it).
 * Every running group is registered with the run's watchdog, which kills it if tasker dies.
 */

/** After the leader exits, how long background processes may hold the pipes before reading stops. */
const PIPE_LINGER_MS = 1000;
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

/**
 * `node:child_process` rather than execa on this path: measured over 1,000 sequential `/bin/true`
 * steps, execa 9 cost ~0.9 ms more CPU per spawn (option normalization, env merge, stream plumbing)
 * than `spawn` itself (~1 ms), and none of its features are used here (no buffering, no reject).
 */
function start(spawn: LocalSpawn, req: ExecRequest, baseEnv: NodeJS.ProcessEnv): ChildProcess {
  const child = spawnChild(spawn.file, spawn.args, {
    env: Object.keys(req.env).length === 0 ? baseEnv : { ...baseEnv, ...req.env },
    cwd: req.cwd,
    stdio: [
      spawn.input === undefined ? 'ignore' : 'pipe',
      'pipe',
      'pipe',
      ...(spawn.script === undefined ? [] : ['pipe' as const]),
    ],
    detached: true,
  });
  const scriptPipe = child.stdio[3];
  if (spawn.script !== undefined && scriptPipe && 'end' in scriptPipe) {
    scriptPipe.on('error', () => undefined);
    scriptPipe.end(spawn.script);
  }
  if (child.stdin !== null) {
    // A command that exits without reading its stdin must not fail the step with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(spawn.input);
  }
  return child;
}

/** The reason a child never started (ENOENT, EACCES, …), from its 'error' event. */
function startFailure(child: ChildProcess): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve) => child.once('error', resolve));
}

async function supervise(
  child: ChildProcess,
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

interface LocalState {
  live: Set<number>;
  /** process.env copied once: spawn reads every key of the env it gets, and process.env's are slow. */
  baseEnv: NodeJS.ProcessEnv;
  watchdog?: Watchdog;
  registry?: ProcessRegistry;
}

async function execLocal(req: ExecRequest, sink: ExecSink, state: LocalState): Promise<ExecOutcome> {
  const what = describe(req.command);
  if (req.command.kind === 'argv' && req.command.argv.length === 0)
    throw new ExecError('spawn', 'cannot run an empty argv command; give at least the program name');
  if (req.cwd !== undefined) checkCwd(req.cwd, what);
  if (req.signal.aborted)
    return { exitCode: null, signal: null, note: 'not started: cancelled before it began' };
  const spawn = buildLocalSpawn(req);
  let child: ChildProcess;
  try {
    child = start(spawn, req, state.baseEnv);
  } catch (cause) {
    // spawn validates arguments synchronously, e.g. a NUL byte in an argument or env value.
    const detail = cause instanceof Error ? cause.message : 'invalid arguments';
    throw new ExecError('spawn', `cannot run "${what}": ${detail}`, { cause });
  }
  const pid = child.pid;
  if (pid === undefined) {
    const error = await startFailure(child);
    throw spawnError(what, spawn, error.code, error.message);
  }
  // A later 'error' (e.g. a failed kill) must not crash the run; the exit status still arrives.
  child.on('error', () => undefined);
  state.live.add(pid);
  const watchdog = (state.watchdog ??= startWatchdog());
  watchdog.add(pid, req.killGraceMs);
  state.registry?.started(pid, req.label ?? describe(req.command));
  try {
    return await supervise(child, pid, req, sink);
  } finally {
    state.live.delete(pid);
    watchdog.remove(pid);
    state.registry?.ended(pid);
  }
}

export interface LocalExecutorOptions {
  /** The run's `processes` file (see process-registry.ts); none when omitted. */
  registry?: string;
  /** The environment commands start from (default process.env), plus each request's `env`. */
  baseEnv?: Readonly<Record<string, string | undefined>>;
}

/** Commands see `baseEnv` as it was when the executor was created (one per run), plus `req.env`. */
export function createLocalExecutor(options: LocalExecutorOptions = {}): Executor {
  const live = new Set<number>();
  const state: LocalState = { live, baseEnv: { ...(options.baseEnv ?? process.env) } };
  if (options.registry !== undefined) state.registry = createProcessRegistry(options.registry);
  return {
    exec: (req, sink) => execLocal(req, sink, state),
    copy: copyLocal,
    // Safety net: the runner aborts steps before closing, so normally nothing is left to kill.
    close: () => {
      for (const pid of live) signalGroup(pid, 'SIGKILL');
      state.watchdog?.close();
      state.watchdog = undefined;
      return Promise.resolve();
    },
  };
}

export { buildLocalSpawn } from './local-spawn.js';
