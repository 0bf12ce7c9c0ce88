import { split } from 'shlex';

/** What tasker takes from `ansible_ssh_common_args`/`ansible_ssh_extra_args`, and what it tells the user. */
export interface SshArgs {
  proxyJump?: string;
  port?: string;
  user?: string;
  key?: string;
  hostKeyPolicy?: 'strict' | 'accept-new';
  /** One line each: what was applied with a caveat, or what tasker does not do. */
  notes: { kind: 'applied' | 'ignored'; text: string }[];
  error?: string;
}

/** ssh(1) options that take an argument (`-p 22` or `-p22`); every other letter is a flag. */
const WITH_ARGUMENT = new Set('BbcDEeFIiJLlmOopQRSWw'.split(''));

/**
 * Reads an ssh command line as OpenSSH does (first value wins, as ssh_config does for `-o`), after
 * Python's `shlex.split` as Ansible applies it. `-J`, `ProxyJump` and a `ProxyCommand` of the form
 * `ssh … -W %h:%p [user@]host` become the jump host; `-p`/`Port`, `-l`/`User`, `-i`/`IdentityFile`
 * and `StrictHostKeyChecking` are applied; everything else is named in a note.
 */
export function parseSshArgs(text: string): SshArgs {
  try {
    return parseSshWords(split(text));
  } catch (error) {
    return { notes: [], error: `cannot be split like a shell command line (${(error as Error).message})` };
  }
}

function parseSshWords(words: readonly string[]): SshArgs {
  const out: SshArgs = { notes: [] };
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i]!;
    if (!w.startsWith('-') || w === '-') {
      out.notes.push({ kind: 'ignored', text: `"${w}" is not an ssh option` });
      continue;
    }
    for (let j = 1; j < w.length; j += 1) {
      const flag = w[j]!;
      if (!WITH_ARGUMENT.has(flag)) {
        out.notes.push({ kind: 'ignored', text: `-${flag}` });
        continue;
      }
      const arg = j + 1 < w.length ? w.slice(j + 1) : words[++i];
      if (arg === undefined) out.notes.push({ kind: 'ignored', text: `-${flag} without its value` });
      else option(out, flag, arg);
      break;
    }
  }
  return out;
}

function option(out: SshArgs, flag: string, arg: string): void {
  if (flag === 'o') return configOption(out, arg);
  if (flag === 'J') return setJump(out, arg);
  if (flag === 'p') out.port ??= arg;
  else if (flag === 'l') out.user ??= arg;
  else if (flag === 'i') out.key ??= arg;
  else out.notes.push({ kind: 'ignored', text: `-${flag} ${arg}` });
}

/** `-o Key=Value` or `-o "Key Value"`, keys case-insensitive as in ssh_config. */
function configOption(out: SshArgs, arg: string): void {
  const m = /^\s*([A-Za-z0-9]+)\s*(?:=\s*|\s+)(.*?)\s*$/s.exec(arg);
  if (!m) return void out.notes.push({ kind: 'ignored', text: `-o ${arg}` });
  const key = m[1]!.toLowerCase();
  const value = m[2]!.replace(/^"(.*)"$/s, '$1');
  if (key === 'proxyjump') setJump(out, value);
  else if (key === 'proxycommand') proxyCommand(out, value);
  else if (key === 'port') out.port ??= value;
  else if (key === 'user') out.user ??= value;
  else if (key === 'identityfile') out.key ??= value;
  else if (key === 'stricthostkeychecking') hostKeyChecking(out, value);
  else out.notes.push({ kind: 'ignored', text: `-o ${m[1]}=${value}` });
}

/** The first of -J, ProxyJump and ProxyCommand wins, as in OpenSSH; `none` means direct. */
function setJump(out: SshArgs, value: string): void {
  if (out.proxyJump !== undefined) return;
  out.proxyJump = value.trim().toLowerCase() === 'none' ? '' : value.trim();
}

function hostKeyChecking(out: SshArgs, value: string): void {
  if (out.hostKeyPolicy) return;
  const v = value.toLowerCase();
  if (v === 'yes' || v === 'ask') out.hostKeyPolicy = 'strict';
  else if (v === 'no' || v === 'off' || v === 'accept-new') {
    out.hostKeyPolicy = 'accept-new';
    out.notes.push({
      kind: 'applied',
      text:
        `StrictHostKeyChecking=${value} is applied as tasker's accept-new host-key mode: an unknown key is ` +
        'accepted and recorded in known_hosts, but a changed key is still refused (docs/ssh.md)',
    });
  } else out.notes.push({ kind: 'ignored', text: `-o StrictHostKeyChecking=${value}` });
}

/** `ssh [opts] -W %h:%p [opts] [user@]host` is a jump through that host; any other command is not understood. */
function proxyCommand(out: SshArgs, command: string): void {
  if (out.proxyJump !== undefined) return;
  if (command.trim().toLowerCase() === 'none') return setJump(out, 'none');
  let words: string[];
  try {
    words = split(command);
  } catch {
    words = [];
  }
  const inner = parseSshWords(words.slice(1));
  const dest = words.slice(1).filter((w, i, all) => !w.startsWith('-') && !takesValue(all[i - 1]));
  const forwards = words.some(
    (w, i) => (w === '-W' && /^%h:%p$/.test(words[i + 1] ?? '')) || w === '-W%h:%p',
  );
  if (!/^ssh$|\/ssh$/.test(words[0] ?? '') || !forwards || dest.length !== 1) {
    out.proxyJump = '';
    out.notes.push({
      kind: 'ignored',
      text: `ProxyCommand=${command} (only "ssh -W %h:%p [user@]host" is understood; tasker connects directly)`,
    });
    return;
  }
  const host = dest[0]!;
  const at = host.lastIndexOf('@');
  const user = at >= 0 ? host.slice(0, at) : inner.user;
  const name = (at >= 0 ? host.slice(at + 1) : host).replace(/^\[(.*)\]$/, '$1');
  const bracketed = name.includes(':') ? `[${name}]` : name;
  out.proxyJump = `${user ? `${user}@` : ''}${inner.port ? `${bracketed}:${inner.port}` : bracketed}`;
  const extra = inner.notes.filter((n) => !/^-W /.test(n.text));
  if (inner.key) extra.push({ kind: 'ignored', text: `-i ${inner.key}` });
  for (const n of extra)
    out.notes.push({ kind: 'ignored', text: `${n.text} inside ProxyCommand (for the jump host)` });
}

function takesValue(prev: string | undefined): boolean {
  return prev !== undefined && /^-[A-Za-z]$/.test(prev) && WITH_ARGUMENT.has(prev[1]!);
}
