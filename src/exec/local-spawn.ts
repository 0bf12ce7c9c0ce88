import { statSync } from 'node:fs';
import { ExecError } from './types.js';
import type { ExecCommand, ExecRequest } from './types.js';

export interface LocalSpawn {
  file: string;
  args: string[];
  input?: string;
  /** A shell script too long for one argument, written to the child's fd 3 (see scriptByPipe). */
  script?: string;
}

/** Past this a `-c` script goes through a pipe: Linux refuses one argument over 128 KiB with E2BIG. */
const SCRIPT_ARG_LIMIT_BYTES = 64 * 1024;
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'ksh', 'zsh']);
/** Reads the script whole from fd 3, closes fd 3 for the script itself, then runs it in this shell. */
const PIPED_SCRIPT = 'eval "$(cat <&3)" 3<&-';

/** `[shell, -c, script, …]` with a long script: the same shell runs it read from fd 3 instead. */
function scriptByPipe(base: string[]): { argv: string[]; script?: string } {
  const [file = '', flag, script, ...rest] = base;
  const name = file.slice(file.lastIndexOf('/') + 1);
  if (!SHELLS.has(name) || flag !== '-c' || script === undefined) return { argv: base };
  if (Buffer.byteLength(script) <= SCRIPT_ARG_LIMIT_BYTES) return { argv: base };
  return { argv: [file, '-c', PIPED_SCRIPT, ...rest], script };
}

/** The program, arguments and stdin for a request; exported so the sudo wrapping can be tested. */
export function buildLocalSpawn(
  req: Pick<ExecRequest, 'command' | 'env' | 'stdin' | 'sudo' | 'sudoPassword'>,
): LocalSpawn {
  const written = req.command.kind === 'shell' ? ['/bin/sh', '-c', req.command.script] : req.command.argv;
  // sudo closes every descriptor above 2, so under sudo the script stays an argument.
  const piped = req.sudo === undefined ? scriptByPipe(written) : { argv: written };
  const base = piped.argv;
  const [file = '', ...args] = base;
  if (req.sudo === undefined)
    return { file, args, input: req.stdin, ...(piped.script === undefined ? {} : { script: piped.script }) };
  const names = Object.keys(req.env);
  const auth = req.sudoPassword === undefined ? ['-n'] : ['-S', '-p', ''];
  const keep = names.length > 0 ? [`--preserve-env=${names.join(',')}`] : [];
  const input = req.sudoPassword === undefined ? req.stdin : `${req.sudoPassword}\n${req.stdin ?? ''}`;
  return { file: 'sudo', args: [...auth, ...keep, '-u', req.sudo, '--', ...base], input };
}

export function describe(command: ExecCommand): string {
  if (command.kind === 'argv') return command.argv[0] ?? '';
  const firstLine = command.script.split('\n', 1)[0] ?? '';
  return `sh -c ${firstLine.length > 60 ? `${firstLine.slice(0, 57)}...` : firstLine}`;
}

export function checkCwd(cwd: string, what: string): void {
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

export function spawnError(
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
