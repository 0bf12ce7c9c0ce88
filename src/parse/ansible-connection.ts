import type { AstHost } from '../model/ast.js';
import type { Span } from '../model/span.js';
import type { HostDiagnostics } from './ansible-diagnostics.js';
import { renderSimple } from './ansible-jinja.js';
import type { RawVar } from './ansible-model.js';
import { parseSshArgs, type SshArgs } from './ansible-ssh-args.js';
import { NAME } from './env.js';

/**
 * The variables Ansible's ssh connection plugin reads, in its order: where both are set, the later
 * name wins at any level (`ansible_ssh_host` over `ansible_host`), as the plugin's option `vars`
 * lists resolve (ansible/plugins/connection/ssh.py, config manager `_loop_entries`: last non-null).
 */
const ADDRESS = ['ansible_host', 'ansible_ssh_host'];
const PORT = ['ansible_port', 'ansible_ssh_port'];
const USER = ['ansible_user', 'ansible_ssh_user'];
const KEY = ['ansible_private_key_file', 'ansible_ssh_private_key_file'];
const ARGS = ['ansible_ssh_common_args', 'ansible_ssh_extra_args'];

/** Connections tasker makes are SSH; these values mean something else and earn a warning. */
const SSH_CONNECTIONS = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh']);

const USED = new Set([
  ...ADDRESS,
  ...PORT,
  ...USER,
  ...KEY,
  ...ARGS,
  'ansible_connection',
  'ansible_group_priority',
]);

type Fields = Omit<AstHost, 'name' | 'span' | 'vars'>;

/** Maps one host's merged variables to tasker's host fields, reporting everything it does not use. */
export function toAstHost(name: Located, vars: ReadonlyMap<string, RawVar>, d: HostDiagnostics): AstHost {
  const out: AstHost = { name, vars: [], span: name.span };
  const c = new Connection(name.value, vars, d, out);
  c.address();
  c.port();
  c.user();
  c.key();
  c.sshArgs();
  for (const v of vars.values()) {
    if (v.name === 'ansible_connection') c.connection(v);
    else if (v.name.startsWith('ansible_')) {
      if (!USED.has(v.name)) d.ignore(v);
    } else if (!NAME.test(v.name))
      d.once(
        v,
        'warning',
        `variable "${v.name}" is not a valid tasker name and is ignored`,
        'use letters, digits and _, not starting with a digit',
        v.nameSpan,
      );
    else if (v.value.kind === 'structured')
      d.once(
        v,
        'warning',
        `variable "${v.name}" is ${v.value.what}; tasker host vars are strings, so it is ignored`,
        'write the value as a string (e.g. JSON text) if a step needs it',
        v.nameSpan,
      );
    else {
      const text = v.value.kind === 'null' ? '' : v.value.text;
      out.vars.push({
        name: { value: v.name, span: v.nameSpan },
        value: { parts: [{ kind: 'text', text, span: v.valueSpan }], span: v.valueSpan },
      });
    }
  }
  return out;
}

type Located = AstHost['name'];
type Text =
  { kind: 'ok'; text: string; v: RawVar } | { kind: 'none' } | { kind: 'bad'; v: RawVar; why: string };

class Connection {
  constructor(
    private readonly host: string,
    private readonly vars: ReadonlyMap<string, RawVar>,
    private readonly d: HostDiagnostics,
    private readonly out: Fields,
  ) {}

  /** The last of `names` with a non-null value, rendered; `bad` says why it cannot be used. */
  private pick(names: readonly string[]): Text {
    const v = [...names]
      .reverse()
      .map((n) => this.vars.get(n))
      .find((x) => x && x.value.kind !== 'null');
    if (!v) return { kind: 'none' };
    if (v.value.kind === 'structured') return { kind: 'bad', v, why: `is ${v.value.what}` };
    if (v.value.kind === 'null') return { kind: 'none' };
    if (v.value.literal) return { kind: 'ok', text: v.value.text, v };
    const r = renderSimple(v.value.text, this.host, this.vars);
    if (r.kind === 'template')
      return { kind: 'bad', v, why: `is a Jinja template (${r.expr}) that tasker does not evaluate` };
    return { kind: 'ok', text: r.text, v };
  }

  private unusable(v: RawVar, message: string, hint: string): void {
    this.out.unusable ??= { message: `${this.host}: ${message}`, hint, span: v.valueSpan };
    this.d.once(v, 'warning', `${message}; steps on ${this.host} are refused`, hint);
  }

  address(): void {
    const t = this.pick(ADDRESS);
    if (t.kind === 'bad')
      this.unusable(t.v, `${t.v.name} ${t.why}`, `write the address itself, e.g. ${t.v.name}=10.0.0.5`);
    else if (t.kind === 'ok' && t.text.trim() === '')
      this.unusable(
        t.v,
        `${t.v.name} is empty`,
        `write the address, or remove ${t.v.name} to connect to "${this.host}"`,
      );
    else if (t.kind === 'ok') this.out.sshHost = { value: t.text, span: t.v.valueSpan };
  }

  port(): void {
    const t = this.pick(PORT);
    if (t.kind === 'bad')
      return this.unusable(t.v, `${t.v.name} ${t.why}`, `write the number itself, e.g. ${t.v.name}=22`);
    if (t.kind === 'ok') this.setPort(t.text, t.v, t.v.name);
  }

  private setPort(text: string, v: RawVar, what: string): void {
    const n = Number(text);
    if (/^\s*\d+\s*$/.test(text) && n >= 1 && n <= 65535) this.out.port = { value: n, span: v.valueSpan };
    else
      this.unusable(v, `${what}: port "${text}" is not a number from 1 to 65535`, 'write a port such as 22');
  }

  user(): void {
    const t = this.pick(USER);
    if (t.kind === 'bad')
      this.d.once(
        t.v,
        'warning',
        `${t.v.name} on ${this.host} ${t.why}, so it is not used: the user comes from ~/.ssh/config or the local user name`,
        `write the user name itself, e.g. ${t.v.name}=deploy`,
      );
    else if (t.kind === 'ok' && t.text !== '') this.out.user = { value: t.text, span: t.v.valueSpan };
  }

  key(): void {
    const t = this.pick(KEY);
    if (t.kind === 'bad')
      this.d.once(
        t.v,
        'warning',
        `${t.v.name} on ${this.host} ${t.why}, so it is not used: tasker tries ssh-agent and ~/.ssh/config's keys`,
        'write the key path itself',
      );
    else if (t.kind === 'ok' && t.text !== '') this.out.key = { value: t.text, span: t.v.valueSpan };
  }

  /** Common args, then extra args, as Ansible puts them on the ssh command line after Port/User/IdentityFile. */
  sshArgs(): void {
    const parsed: { v: RawVar; args: SshArgs }[] = [];
    for (const name of ARGS) {
      const v = this.vars.get(name);
      if (!v || v.value.kind === 'null') continue;
      const t = this.pick([name]);
      if (t.kind === 'bad') {
        this.d.once(
          v,
          'warning',
          `${name} on ${this.host} ${t.why}, so none of it is applied`,
          'write the ssh options literally',
        );
        continue;
      }
      if (t.kind !== 'ok') continue;
      const args = parseSshArgs(t.text);
      if (args.error)
        this.d.once(v, 'warning', `${name} ${args.error}, so none of it is applied`, 'fix the quoting');
      else parsed.push({ v, args });
    }
    for (const { v, args } of parsed) this.applyArgs(v, args);
  }

  private applyArgs(v: RawVar, a: SshArgs): void {
    const span: Span = v.valueSpan;
    if (a.proxyJump !== undefined && this.out.proxyJump === undefined && !this.jumpSet) {
      this.jumpSet = true;
      if (a.proxyJump !== '') this.out.proxyJump = { value: a.proxyJump, span };
    }
    if (a.port !== undefined && !this.out.port && !this.out.unusable) this.setPort(a.port, v, `${v.name} -p`);
    if (a.user !== undefined && !this.out.user) this.out.user = { value: a.user, span };
    if (a.key !== undefined && !this.out.key) this.out.key = { value: a.key, span };
    if (a.hostKeyPolicy && !this.out.hostKeyPolicy) this.out.hostKeyPolicy = { value: a.hostKeyPolicy, span };
    const ignored = a.notes.filter((n) => n.kind === 'ignored').map((n) => n.text);
    for (const n of a.notes.filter((x) => x.kind === 'applied'))
      this.d.once(
        v,
        'warning',
        `${v.name}: ${n.text}`,
        'set StrictHostKeyChecking in ~/.ssh/config, or pass --accept-new-host-keys, to say so outside Ansible',
      );
    if (ignored.length > 0)
      this.d.once(
        v,
        'warning',
        `${v.name}: tasker does not apply ${ignored.join(', ')}`,
        'tasker reads -J/ProxyJump, ProxyCommand "ssh -W %h:%p HOST", -p/Port, -l/User, -i/IdentityFile and StrictHostKeyChecking; set the rest in ~/.ssh/config',
      );
  }

  private jumpSet = false;

  connection(v: RawVar): void {
    const value = v.value.kind === 'scalar' ? v.value.text : '';
    if (!SSH_CONNECTIONS.has(value))
      this.d.once(
        v,
        'warning',
        `ansible_connection=${value} is ignored: tasker connects to "${this.host}" over SSH`,
        'use `host: local` in the workflow for steps on this machine',
      );
  }
}
