import { ExecError, type ExecRequest } from '../types.js';
import { isEnvName, quoteArgv, shellQuote } from './quote.js';

/** Where the remote wrapper records its process-group id, so an abort can kill the whole group. */
export function pidFilePath(token: string): string {
  return `/tmp/.tasker-${token}.pid`;
}

/** The command itself with env and cwd applied: what runs (as the sudo user, when set). */
function innerCommand(req: ExecRequest, host: string): string {
  const parts: string[] = [];
  if (req.cwd !== undefined && req.cwd !== '') parts.push(`cd -- ${shellQuote(req.cwd)} &&`);
  for (const [name, value] of Object.entries(req.env)) {
    if (!isEnvName(name)) {
      throw new ExecError(
        'spawn',
        `env name ${JSON.stringify(name)} for ${host} is not a valid shell variable name; use letters, digits and _`,
      );
    }
    parts.push(`${name}=${shellQuote(value)}`);
  }
  if (req.command.kind === 'shell') parts.push(`sh -c ${shellQuote(req.command.script)}`);
  else {
    if (req.command.argv.length === 0)
      throw new ExecError('spawn', `empty argv for ${host}: give at least the program name`);
    parts.push(quoteArgv(req.command.argv));
  }
  return parts.join(' ');
}

/**
 * The full remote command line. sshd starts each session with setsid(), so the login shell's `$$` is
 * the process-group id of everything the command starts; it goes to a pid file (not stdout) and the
 * wrapper removes the file when the command ends.
 */
export function buildRemoteCommand(req: ExecRequest, host: string, token: string): string {
  let command = innerCommand(req, host);
  if (req.sudo !== undefined) {
    // Without a password, -n fails at once where sudo would ask (instead of reading the step's stdin).
    const auth = req.sudoPassword === undefined ? '-n' : "-S -p ''";
    command = `sudo ${auth} -u ${shellQuote(req.sudo)} -- sh -c ${shellQuote(command)}`;
  }
  const f = shellQuote(pidFilePath(token));
  return `echo $$ >${f} 2>/dev/null; ${command}; s=$?; rm -f ${f}; exit $s`;
}

/** Sends `sig` to the recorded process group (`kill -s SIG -- -PGID` works in dash and bash); exit 0 = delivered. */
export function buildKillCommand(token: string, sig: 'TERM' | 'KILL'): string {
  const f = shellQuote(pidFilePath(token));
  return `p=$(cat ${f} 2>/dev/null) && [ -n "$p" ] && kill -s ${sig} -- -"$p" 2>/dev/null`;
}

/** Removes the pid file left behind when the kill took the wrapper shell down too. */
export function buildCleanupCommand(token: string): string {
  return `rm -f ${shellQuote(pidFilePath(token))}`;
}
