import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { HostKeyPolicy } from './host-key.js';

export interface SshOptions {
  /** Default ~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts (or ssh_config's UserKnownHostsFile). */
  knownHostsFiles?: string[];
  /** Default: ssh_config's StrictHostKeyChecking, else strict. */
  hostKeyPolicy?: HostKeyPolicy;
  /** Default ~/.ssh/config; null = none. */
  sshConfigFile?: string | null;
  /** Extra keys to try after the target's key and ssh_config's IdentityFile. */
  identityFiles?: string[];
  /** For encrypted keys. */
  passphrase?: string;
  /** Default $SSH_AUTH_SOCK; null = no agent. */
  agentSocket?: string | null;
  /** Default 8 (below OpenSSH's MaxSessions 10). */
  maxChannelsPerHost?: number;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Default 15 s; 0 disables keepalives. */
  keepaliveMs?: number;
}

/** Options with defaults applied and the local environment captured once. */
export interface Settings {
  knownHostsFiles?: string[];
  hostKeyPolicy?: HostKeyPolicy;
  sshConfigFile: string | null;
  identityFiles: string[];
  passphrase?: string;
  agentSocket: string | null;
  maxChannelsPerHost: number;
  connectTimeoutMs: number;
  keepaliveMs: number;
  home: string;
  localUser: string;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? 'root';
  }
}

export function resolveSettings(o: SshOptions = {}): Settings {
  const home = homedir();
  const agent = o.agentSocket === undefined ? (process.env.SSH_AUTH_SOCK ?? null) : o.agentSocket;
  return {
    ...(o.knownHostsFiles ? { knownHostsFiles: o.knownHostsFiles } : {}),
    ...(o.hostKeyPolicy ? { hostKeyPolicy: o.hostKeyPolicy } : {}),
    sshConfigFile: o.sshConfigFile === undefined ? join(home, '.ssh', 'config') : o.sshConfigFile,
    identityFiles: o.identityFiles ?? [],
    ...(o.passphrase !== undefined ? { passphrase: o.passphrase } : {}),
    agentSocket: agent === '' ? null : agent,
    maxChannelsPerHost: Math.max(1, o.maxChannelsPerHost ?? 8),
    connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
    keepaliveMs: o.keepaliveMs ?? 15_000,
    home,
    localUser: currentUser(),
  };
}
