import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { ExecError } from './types.js';
import type { ExecCommand, ExecOutcome, ExecRequest, ExecSink, Executor } from './types.js';

/**
 * Local executor: each command leads its own process group (`detached`), so a timeout or cancel
 * kills grandchildren too: SIGTERM to the group, `killGraceMs`, then SIGKILL. `pty` is ignored
 * locally (output is always piped). `sudo` runs `sudo -u USER -- …`: with a password, `-S -p ''`
 * reads it from the first stdin line (never argv); without one, `-n` fails fast instead of prompting.
 * Request env names are passed through sudo with `--preserve-env=NAMES` (sudoers must allow it).
 */

/** After the leader exits, how long background processes may hold the pipes before reading stops. */
export const PIPE_LINGER_MS = 1000;
const GROUP_POLL_MS = 25;
const LINGER_NOTE =
  'a background process kept the output open after the command exited; its later output was not recorded';

export interface LocalSpawn {
  file: string;
  args: string[];
  input?: string;
}

/** The program, arguments and stdin for a request; exported so the sudo wrapping can be tested. */
export function buildLocalSpawn(
  req: Pick<ExecRequest, 'command' | 'env' | 'stdin' | 'sudo' | 'sudoPassword'>,
): LocalSpawn {
  const base = req.command.kind === 'shell' ? ['/bin/sh', '-c', req.command.script] : req.command.argv;
  const [file = '', ...args] = base;
  if (req.sudo === undefined) return { file, args, input: req.stdin };
  const names = Object.keys(req.env);
  const auth = req.sudoPassword === undefined ? ['-n'] : ['-S', '-p', ''];
  const keep = names.length > 0 ? [`--preserve-env=${names.join(',')}`] : [];
  const input = req.sudoPassword === undefined ? req.stdin : `${req.sudoPassword}\n${req.stdin ?? ''}`;
  return { file: 'sudo', args: [...auth, ...keep, '-u', req.sudo, '--', ...base], input };
}

function describe(command: ExecCommand): string {
  if (command.kind === 'argv') return command.argv[0] ?? '';
  const firstLine = command.script.split('\n', 1)[0] ?? '';
  return `sh -c ${firstLine.length > 60 ? `${firstLine.slice(0, 57)}...` : firstLine}`;
}

function checkCwd(cwd: string, what: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    const reason = code === 'ENOENT' ? 'does not exist' : 'cannot be accessed';
    throw new ExecError(
      'spawn',
      `cannot run "${what}": working directory "${cwd}" ${reason} (${code}); fix the step's cwd`,
      { cause },
    );
  }
  if (!isDir)
    throw new ExecError(
      'spawn',
      `cannot run "${what}": working directory "${cwd}" is not a directory; fix the step's cwd`,
    );
}

function spawnError(
  what: string,
  spawn: LocalSpawn,
  code: string | undefined,
  detail: string | undefined,
): ExecError {
  const missing =
    spawn.file === 'sudo'
      ? 'sudo is not installed; install it or remove sudo: from the step'
      : spawn.file.includes('/')
        ? 'no such file, or its #! interpreter is missing'
        : 'command not found; check the name and PATH';
  if (code === 'ENOENT') return new ExecError('spawn', `cannot run "${what}": ${missing} (ENOENT)`);
  if (code === 'EACCES')
    return new ExecError(
      'spawn',
      `cannot run "${what}": permission denied; make the file executable (chmod +x) (EACCES)`,
    );
  return new ExecError(
    'spawn',
    `cannot run "${what}": ${detail ?? 'the process could not start'} (${code ?? 'unknown'})`,
  );
}

function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    // EPERM: some member exists but is not ours to signal; it still counts as alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isLiveMember(pid: string, pgid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return group === String(pgid) && state !== 'Z';
  } catch {
    return false;
  }
}

/** Whether the group still has a running member; zombies (waiting for init to reap them) do not count. */
function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  let pids: string[];
  try {
    pids = readdirSync('/proc');
  } catch {
    return true; // no procfs: a zombie-only group looks alive until the grace ends
  }
  return pids.some((pid) => /^\d+$/.test(pid) && isLiveMember(pid, pgid));
}

function sleep(ms: number): { done: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return { done, cancel: () => clearTimeout(timer) };
}

/** TERM the group, wait for it to go (at most `graceMs`), then KILL whatever is left. */
async function killGroup(pid: number, graceMs: number, closed: Promise<void>): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  const grace = sleep(graceMs);
  await Promise.race([closed, grace.done]);
  grace.cancel();
  // The leader and the pipes are gone, but a member without pipes may still be finishing.
  while (groupAlive(pid) && Date.now() < deadline) {
    const tick = sleep(Math.min(GROUP_POLL_MS, deadline - Date.now()));
    await tick.done;
  }
  signalGroup(pid, 'SIGKILL');
}

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
