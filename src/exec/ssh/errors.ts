import { ExecError } from '../types.js';
import type { HostSpec } from './config.js';

type SshErrorLike = Error & { code?: string; level?: string };

/** `web1 (deploy@10.0.0.5:22)`: the inventory name plus where it really goes. */
export function describeHost(h: HostSpec): string {
  const where = `${h.user}@${h.address}:${h.port}`;
  const via = h.via ? ` via ${h.via.label}` : '';
  return h.label === h.address ? `${where}${via}` : `${h.label} (${where}${via})`;
}

function asError(err: unknown): SshErrorLike {
  return err instanceof Error ? err : new Error(String(err));
}

/** Maps a failure before the connection was ready to the step error codes users see. */
export function connectError(err: unknown, h: HostSpec, tried: readonly string[]): ExecError {
  if (err instanceof ExecError) return err;
  const e = asError(err);
  const host = describeHost(h);
  const code = e.code ?? '';
  if (e.level === 'client-authentication') {
    const what = tried.length > 0 ? tried.join(', ') : 'nothing (no key file, no agent)';
    return new ExecError(
      'auth',
      `${host} refused authentication; tried ${what}. Add the public key to ~${h.user}/.ssh/authorized_keys there, ` +
        `set key: in the inventory (or IdentityFile in ~/.ssh/config), or load the key into ssh-agent`,
      { cause: e },
    );
  }
  if (code === 'ECONNREFUSED')
    return new ExecError(
      'unreachable',
      `connection refused by ${host}: is sshd running there and is the port right?`,
      { cause: e },
    );
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return new ExecError('unreachable', `no route to ${host} (${code}): check the address and the network`, {
      cause: e,
    });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ExecError(
      'unreachable',
      `cannot resolve ${h.address} for ${host} (DNS ${code}): check the name, or set address: in the inventory`,
      { cause: e },
    );
  }
  if (e.level === 'client-timeout' || code === 'ETIMEDOUT') {
    return new ExecError(
      'unreachable',
      `no SSH handshake from ${host} within ${h.connectTimeoutMs} ms (handshake timeout): the host is down, a firewall drops packets, ` +
        `or the port is not sshd; raise connect_timeout if the network is slow`,
      { cause: e },
    );
  }
  return new ExecError('unreachable', `SSH connection to ${host} failed during the handshake: ${e.message}`, {
    cause: e,
  });
}

export function connectionLost(h: HostSpec, detail?: string): ExecError {
  const why = detail ? ` (${detail})` : '';
  return new ExecError(
    'connection-lost',
    `connection to ${describeHost(h)} dropped while the command was running${why}; it may still be running there`,
  );
}

/** ssh2's message when the server refuses a new channel, e.g. over sshd's MaxSessions. */
export function isChannelOpenFailure(err: unknown): boolean {
  return err instanceof Error && /Channel open failure/i.test(err.message);
}
