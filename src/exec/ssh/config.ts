import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';
import type { SshTarget } from '../../model/plan.js';
import { ExecError } from '../types.js';
import type { HostKeyPolicy } from './host-key.js';
import type { Settings } from './options.js';

/** Everything needed to open one connection, after inventory and ssh_config are merged. */
export interface HostSpec {
  label: string;
  address: string;
  port: number;
  user: string;
  /** Explicit keys in order: target key, IdentityFile, options.identityFiles. */
  identityFiles: string[];
  identitiesOnly: boolean;
  /** The hop to tunnel through (ProxyJump); it may have its own `via`. */
  via?: HostSpec;
  connectTimeoutMs: number;
  hostKeyPolicy: HostKeyPolicy;
  knownHostsFiles: string[];
  fingerprint?: string;
}

type Computed = Record<string, string | string[]>;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : v.split(/\s+/).filter(Boolean);

/** Reads ssh_config once; a missing file is "no config", an unreadable one is an error naming it. */
export function loadSshConfig(file: string | null): SSHConfig | undefined {
  if (file === null) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ExecError(
      'internal',
      `cannot read ssh config ${file}: ${String(cause)}; fix its permissions or pass sshConfigFile: null`,
      { cause },
    );
  }
  return SSHConfig.parse(text);
}

/** Expands `~` and the ssh_config tokens %h %p %r %u %d %%. */
export function expandPath(
  path: string,
  t: { home: string; host: string; port: number; user: string; localUser: string },
): string {
  const tilde = path === '~' || path.startsWith('~/') ? t.home + path.slice(1) : path;
  const tokens: Record<string, string> = {
    h: t.host,
    p: String(t.port),
    r: t.user,
    u: t.localUser,
    d: t.home,
    '%': '%',
  };
  return tilde.replace(/%([hprud%])/g, (_m, k: string) => tokens[k] ?? '');
}

function policyFrom(value: string | undefined): HostKeyPolicy | undefined {
  const v = value?.toLowerCase();
  if (v === 'yes' || v === 'ask') return 'strict';
  if (v === 'accept-new' || v === 'no' || v === 'off') return 'accept-new';
  return undefined;
}

function parsePort(value: string | undefined, where: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ExecError(
      'internal',
      `port ${JSON.stringify(value)} for ${where} is not 1-65535; fix it in the inventory or ssh config`,
    );
  return port;
}

/** `[user@]host[:port]` or `ssh://[user@]host[:port]`: one ProxyJump hop as a bare target. */
export function parseJumpHop(hop: string): SshTarget {
  const m = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hop.trim());
  if (!m?.[2])
    throw new ExecError(
      'internal',
      `ProxyJump hop ${JSON.stringify(hop)} is not [user@]host[:port]; fix the proxyJump setting`,
    );
  const port = parsePort(m[3], `ProxyJump hop ${hop}`);
  return {
    kind: 'ssh',
    name: m[2].replace(/^\[|\]$/g, ''),
    ...(m[1] ? { user: m[1] } : {}),
    ...(port ? { port } : {}),
    vars: {},
  };
}

function resolveVia(
  chain: string | undefined,
  s: Settings,
  config: SSHConfig | undefined,
  depth: number,
): HostSpec | undefined {
  if (chain === undefined || chain.trim() === '' || chain.trim().toLowerCase() === 'none') return undefined;
  let via: HostSpec | undefined;
  for (const hop of chain.split(',')) {
    const spec = resolveHost(parseJumpHop(hop), s, config, depth + 1);
    via = via ? { ...spec, via } : spec;
  }
  return via;
}

/** Inventory fields win over ssh_config; defaults: current user, port 22, the name (or sshHost) as address. */
export function resolveHost(t: SshTarget, s: Settings, config: SSHConfig | undefined, depth = 0): HostSpec {
  if (depth > 8)
    throw new ExecError(
      'internal',
      `ProxyJump chain for ${t.name} is deeper than 8 hops; check ssh config for a loop`,
    );
  // ssh is given `sshHost` (Ansible's ansible_host) when set, and OpenSSH matches Host blocks on what it is given.
  const given = t.sshHost ?? t.name;
  const c: Computed = config
    ? config.compute(t.user ? { Host: given, User: t.user } : { Host: given }, {
        ignoreCase: true,
        matchExec: false,
      })
    : {};
  const address = t.address ?? first(c.hostname) ?? given;
  const port = t.port ?? parsePort(first(c.port), t.name) ?? 22;
  const user = t.user ?? first(c.user) ?? s.localUser;
  const x = (p: string): string =>
    expandPath(p, { home: s.home, host: address, port, user, localUser: s.localUser });
  const identityFiles = [...(t.keyFile ? [t.keyFile] : []), ...list(c.identityfile), ...s.identityFiles].map(
    x,
  );
  const timeoutSec = Number(first(c.connecttimeout));
  const userFiles = list(c.userknownhostsfile);
  const globalFiles = list(c.globalknownhostsfile);
  const knownHostsFiles = s.knownHostsFiles ?? [
    ...(userFiles.length ? userFiles : [join(s.home, '.ssh', 'known_hosts')]),
    ...(globalFiles.length ? globalFiles : ['/etc/ssh/ssh_known_hosts']),
  ];
  const via = resolveVia(t.proxyJump ?? first(c.proxyjump), s, config, depth);
  return {
    label: t.name,
    address,
    port,
    user,
    identityFiles,
    identitiesOnly: first(c.identitiesonly)?.toLowerCase() === 'yes',
    ...(via ? { via } : {}),
    connectTimeoutMs: t.connectTimeoutMs ?? (timeoutSec > 0 ? timeoutSec * 1000 : s.connectTimeoutMs),
    hostKeyPolicy:
      s.hostKeyPolicy ?? t.hostKeyPolicy ?? policyFrom(first(c.stricthostkeychecking)) ?? 'strict',
    knownHostsFiles: knownHostsFiles.map(x),
    ...(t.fingerprint ? { fingerprint: t.fingerprint } : {}),
  };
}

/** Pool key: one connection per (address, port, user) and route. */
export function hostKey(h: HostSpec): string {
  const self = `${h.user}@${h.address}:${h.port}`;
  return h.via ? `${self} via ${hostKey(h.via)}` : self;
}
