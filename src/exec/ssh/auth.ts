import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2, { type AgentAuthMethod, type PublicKeyAuthMethod } from 'ssh2';
import type { HostSpec } from './config.js';
import type { Settings } from './options.js';

export interface AuthPlan {
  methods: (PublicKeyAuthMethod | AgentAuthMethod)[];
  /** What was tried or skipped, in order, for the error message when every method fails. */
  tried: string[];
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

async function keyMethod(
  file: string,
  user: string,
  passphrase: string | undefined,
  tried: string[],
): Promise<PublicKeyAuthMethod | undefined> {
  const data = await readFile(file).catch((e: NodeJS.ErrnoException) => e);
  if (data instanceof Error) {
    tried.push(`key ${file} (unreadable: ${data.code ?? data.message})`);
    return undefined;
  }
  const parsed = ssh2.utils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    const hint = /encrypted|passphrase/i.test(parsed.message)
      ? 'encrypted: set the passphrase option'
      : parsed.message;
    tried.push(`key ${file} (not usable: ${hint})`);
    return undefined;
  }
  tried.push(`key ${file}`);
  return {
    type: 'publickey',
    username: user,
    key: data,
    ...(passphrase !== undefined ? { passphrase } : {}),
  };
}

/** Explicit keys first, then the agent, then ~/.ssh/id_* when no key was named (as OpenSSH does). */
export async function planAuth(h: HostSpec, s: Settings): Promise<AuthPlan> {
  const tried: string[] = [];
  const methods: AuthPlan['methods'] = [];
  const add = (m: PublicKeyAuthMethod | undefined): void => void (m && methods.push(m));
  for (const file of h.identityFiles) add(await keyMethod(file, h.user, s.passphrase, tried));
  if (s.agentSocket !== null && !h.identitiesOnly) {
    if (existsSync(s.agentSocket)) {
      methods.push({ type: 'agent', username: h.user, agent: s.agentSocket });
      tried.push(`ssh-agent ${s.agentSocket}`);
    } else tried.push(`ssh-agent ${s.agentSocket} (socket missing)`);
  }
  if (h.identityFiles.length === 0) {
    for (const name of DEFAULT_KEYS) {
      const file = join(s.home, '.ssh', name);
      if (existsSync(file)) add(await keyMethod(file, h.user, s.passphrase, tried));
    }
  }
  return { methods, tried };
}
