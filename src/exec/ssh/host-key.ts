import { ExecError } from '../types.js';
import { appendKnownHost, fingerprintOf, knownHostName } from './known-hosts.js';
import { forgetKnownHostsFile, lookupHostKey } from './known-hosts-index.js';

export type HostKeyPolicy = 'strict' | 'accept-new';

export interface HostKeyCheck {
  /** Where the ssh connection goes (after ssh_config), as known_hosts names it. */
  host: string;
  port: number;
  /** Inventory name, for messages. */
  label: string;
  files: readonly string[];
  policy: HostKeyPolicy;
  /** Pinned `SHA256:…`; when set, known_hosts is not consulted. */
  fingerprint?: string;
}

/** A verifier for ssh2's `hostVerifier`, plus the reason when it said no. */
export interface HostVerifierHandle {
  verify(key: Buffer, done: (ok: boolean) => void): void;
  failure(): ExecError | undefined;
}

const normalize = (fp: string): string => fp.trim().replace(/=+$/, '');

function unknownHost(c: HostKeyCheck, presented: string, otherTypes: string[]): ExecError {
  const others = otherTypes.length > 0 ? ` (known_hosts has only ${otherTypes.join(', ')} keys for it)` : '';
  return new ExecError(
    'host-key',
    `host key for ${c.label} (${knownHostName(c.host, c.port)}) is not in ${c.files.join(', ') || 'any known_hosts file'}${others}; ` +
      `presented ${presented}. Add it with \`ssh-keyscan -p ${c.port} ${c.host} >> ~/.ssh/known_hosts\` after checking the fingerprint, ` +
      `pin it with \`fingerprint: ${presented}\` in the inventory, or use host key policy accept-new`,
  );
}

function mismatch(c: HostKeyCheck, expected: string[], presented: string, where: string): ExecError {
  return new ExecError(
    'host-key',
    `HOST KEY MISMATCH for ${c.label} (${knownHostName(c.host, c.port)}): expected ${expected.join(' or ')} (${where}), ` +
      `server presented ${presented}. Someone may be intercepting the connection, or the host was reinstalled; ` +
      `if the change is expected, remove the old entry (\`ssh-keygen -R '${knownHostName(c.host, c.port)}'\`) or update the pinned fingerprint`,
  );
}

async function decide(c: HostKeyCheck, key: Buffer): Promise<ExecError | undefined> {
  const presented = fingerprintOf(key);
  if (c.fingerprint !== undefined) {
    return normalize(c.fingerprint) === presented
      ? undefined
      : mismatch(c, [normalize(c.fingerprint)], presented, 'pinned fingerprint');
  }
  const found = await lookupHostKey(c.files, c.host, c.port, key);
  switch (found.kind) {
    case 'match':
      return undefined;
    case 'revoked':
      return new ExecError(
        'host-key',
        `host key ${presented} of ${c.label} is marked @revoked in ${found.file}:${found.line}; the host must get a new key`,
      );
    case 'mismatch':
      return mismatch(c, found.expected, presented, `${found.file}:${found.line}`);
    case 'unknown': {
      const file = c.files[0];
      if (c.policy !== 'accept-new' || found.otherTypes.length > 0 || file === undefined)
        return unknownHost(c, presented, found.otherTypes);
      await appendKnownHost(file, c.host, c.port, key);
      forgetKnownHostsFile(file);
      return undefined;
    }
  }
}

export function createHostVerifier(check: HostKeyCheck): HostVerifierHandle {
  let failure: ExecError | undefined;
  return {
    verify(key, done) {
      decide(check, key).then(
        (error) => {
          failure = error;
          done(error === undefined);
        },
        (cause: unknown) => {
          failure =
            cause instanceof ExecError
              ? cause
              : new ExecError(
                  'host-key',
                  `could not check the host key of ${check.label} against ${check.files.join(', ')}: ${String(cause)}`,
                  { cause },
                );
          done(false);
        },
      );
    },
    failure: () => failure,
  };
}
