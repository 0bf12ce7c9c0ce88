import { ExecError, type ExecRequest } from '../types.js';
import { envHeader, HEADER_READER } from './env-header.js';
import { isEnvName, quoteArgv, shellQuote } from './quote.js';

/** Where the remote wrapper records its process-group id, so an abort can kill the whole group. */
export function pidFilePath(token: string): string {
  return `/tmp/.tasker-${token}.pid`;
}

/** What a remote command is made of: the exec line (never holds env values) and what goes to stdin first. */
export interface RemoteCommand {
  line: string;
  /** Written to the channel before the step's stdin: the sudo password line, then the env header. */
  preamble: string;
  /** With `pty`, the header must not be echoed: the terminal is requested with ECHO off. */
  echoOff: boolean;
}

function checkNames(req: ExecRequest, host: string): void {
  for (const name of Object.keys(req.env)) {
    if (!isEnvName(name)) {
      throw new ExecError(
        'spawn',
        `env name ${JSON.stringify(name)} for ${host} is not a valid shell variable name; use letters, digits and _`,
      );
    }
  }
}

/**
 * The command itself with env and cwd applied: what runs (as the sudo user, when set). Env values
 * are read from stdin by HEADER_READER, so they never appear in any process's argv.
 */
function innerCommand(req: ExecRequest, host: string): string {
  const parts: string[] = [];
  if (Object.keys(req.env).length > 0) {
    parts.push(HEADER_READER);
    if (req.pty) parts.push('stty echo 2>/dev/null;');
  }
  if (req.cwd !== undefined && req.cwd !== '') parts.push(`cd -- ${shellQuote(req.cwd)} &&`);
  if (req.command.kind === 'shell') parts.push(`sh -c ${shellQuote(req.command.script)}`);
  else {
    if (req.command.argv.length === 0)
      throw new ExecError('spawn', `empty argv for ${host}: give at least the program name`);
    parts.push(quoteArgv(req.command.argv));
  }
  return parts.join(' ');
}

/**
 * Stops the session's process group when the sshd process that serves it is gone (the connection
 * dropped or tasker was killed): OpenSSH leaves a command without a pty running then, and one with
 * a pty only gets SIGHUP. Polls once a second; starts only when `kill -0` may signal sshd's process.
 */
function watcher(graceMs: number): string {
  const grace = Math.max(1, Math.ceil(graceMs / 1000));
  return (
    `__t_w=; kill -0 $PPID 2>/dev/null && { (trap '' HUP; while kill -0 $PPID 2>/dev/null; do sleep 1; done; ` +
    `trap '' TERM; kill -s TERM 0; sleep ${grace}; kill -s KILL 0) </dev/null >/dev/null 2>&1 & __t_w=$!; };`
  );
}

/**
 * The full remote command line. sshd starts each session with setsid(), so the login shell's `$$` is
 * the process-group id of everything the command starts; it goes to a pid file (not stdout) and the
 * wrapper removes the file when the command ends.
 */
export function buildRemoteCommand(req: ExecRequest, host: string, token: string): RemoteCommand {
  checkNames(req, host);
  let command = innerCommand(req, host);
  if (req.sudo !== undefined) {
    // Without a password, -n fails at once where sudo would ask (instead of reading the step's stdin).
    const auth = req.sudoPassword === undefined ? '-n' : "-S -p ''";
    command = `sudo ${auth} -u ${shellQuote(req.sudo)} -- sh -c ${shellQuote(command)}`;
  }
  const f = shellQuote(pidFilePath(token));
  const line =
    `echo $$ >${f} 2>/dev/null; ${watcher(req.killGraceMs)} ${command}; s=$?; ` +
    `[ -n "$__t_w" ] && kill $__t_w 2>/dev/null; rm -f ${f}; exit $s`;
  const password = req.sudo !== undefined && req.sudoPassword !== undefined ? `${req.sudoPassword}\n` : '';
  const header = Object.keys(req.env).length > 0 ? envHeader(req.env) : '';
  return { line, preamble: password + header, echoOff: req.pty && header !== '' };
}

/** Sends `sig` to the recorded process group (`kill -s SIG -- -PGID` works in dash and bash); exit 0 = delivered. */
export function buildKillCommand(token: string, sig: 'TERM' | 'KILL'): string {
  const f = shellQuote(pidFilePath(token));
  return `p=$(cat ${f} 2>/dev/null) && [ -n "$p" ] && kill -s ${sig} -- -"$p" 2>/dev/null`;
}

/**
 * KILLs the recorded group and confirms it is empty: exit 0 when no live (non-zombie) member is left
 * within about 2 s, or when there is no pid file (the wrapper ended and removed it).
 */
export function buildKillConfirmCommand(token: string): string {
  const f = shellQuote(pidFilePath(token));
  const live =
    `l() { if [ -r /proc/self/stat ]; then for x in /proc/[0-9]*/stat; do read -r y <"$x" 2>/dev/null || continue; ` +
    `set -- \${y##*') '}; [ "$3" = "$p" ] && [ "$1" != Z ] && return 0; done; return 1; fi; kill -0 -- -"$p" 2>/dev/null; }`;
  return (
    `p=$(cat ${f} 2>/dev/null); [ -n "$p" ] || exit 0; ${live}; kill -s KILL -- -"$p" 2>/dev/null; ` +
    `i=0; while l; do [ $i -ge 20 ] && exit 1; i=$((i+1)); sleep 0.1 2>/dev/null || sleep 1; done; exit 0`
  );
}

/** Removes the pid file left behind when the kill took the wrapper shell down too. */
export function buildCleanupCommand(token: string): string {
  return `rm -f ${shellQuote(pidFilePath(token))}`;
}
