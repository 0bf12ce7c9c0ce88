import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2, { type AgentAuthMethod, type ParsedKey, type PublicKeyAuthMethod } from 'ssh2';
import type { HostSpec } from './config.js';
import type { Settings } from './options.js';

export interface AuthPlan {
  methods: (PublicKeyAuthMethod | AgentAuthMethod)[];
  /** What was tried or skipped, in order, for the error message when every method fails. */
  tried: string[];
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

type KeyLoad =
  { kind: 'ok'; key: ParsedKey } | { kind: 'unreadable'; why: string } | { kind: 'unusable'; why: string };

async function loadKey(file: string, passphrase: string | undefined): Promise<KeyLoad> {
  const data = await readFile(file).catch((e: NodeJS.ErrnoException) => e);
  if (data instanceof Error) return { kind: 'unreadable', why: data.code ?? data.message };
  const parsed = ssh2.utils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    const hint = /encrypted|passphrase/i.test(parsed.message)
      ? 'encrypted: set the passphrase option'
      : parsed.message;
    return { kind: 'unusable', why: hint };
  }
  return { kind: 'ok', key: parsed };
}

// Read and parsed once per executor (a 256-host fan-out named one key file 256 times: ~0.9 ms each).
const keyCache = new WeakMap<Settings, Map<string, Promise<KeyLoad>>>();

function cachedKey(file: string, s: Settings): Promise<KeyLoad> {
  let byFile = keyCache.get(s);
  if (!byFile) keyCache.set(s, (byFile = new Map<string, Promise<KeyLoad>>()));
  let load = byFile.get(file);
  if (!load) byFile.set(file, (load = loadKey(file, s.passphrase)));
  return load;
}

async function keyMethod(
  file: string,
  user: string,
  s: Settings,
  tried: string[],
): Promise<PublicKeyAuthMethod | undefined> {
  const load = await cachedKey(file, s);
  if (load.kind !== 'ok') {
    tried.push(`key ${file} (${load.kind === 'unreadable' ? 'unreadable' : 'not usable'}: ${load.why})`);
    return undefined;
  }
  tried.push(`key ${file}`);
  // The parsed key: ssh2 uses it as is instead of parsing the file's text again per connection.
  return { type: 'publickey', username: user, key: load.key };
}

/** Explicit keys first, then the agent, then ~/.ssh/id_* when no key was named (as OpenSSH does). */
export async function planAuth(h: HostSpec, s: Settings): Promise<AuthPlan> {
  const tried: string[] = [];
  const methods: AuthPlan['methods'] = [];
  const add = (m: PublicKeyAuthMethod | undefined): void => void (m && methods.push(m));
  for (const file of h.identityFiles) add(await keyMethod(file, h.user, s, tried));
  if (s.agentSocket !== null && !h.identitiesOnly) {
    if (existsSync(s.agentSocket)) {
      methods.push({ type: 'agent', username: h.user, agent: s.agentSocket });
      tried.push(`ssh-agent ${s.agentSocket}`);
    } else tried.push(`ssh-agent ${s.agentSocket} (socket missing)`);
  }
  if (h.identityFiles.length === 0) {
    for (const name of DEFAULT_KEYS) {
      const file = join(s.home, '.ssh', name);
      if (existsSync(file)) add(await keyMethod(file, h.user, s, tried));
    }
  }
  return { methods, tried };
}
