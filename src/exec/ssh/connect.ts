import type { Duplex } from 'node:stream';
import ssh2, { type Client } from 'ssh2';
import { planAuth } from './auth.js';
import type { HostSpec } from './config.js';
import { connectError, describeHost } from './errors.js';
import { createHostVerifier } from './host-key.js';
import type { Settings } from './options.js';

/** Opens and authenticates one ssh2 connection; `sock` is a tunnel through a ProxyJump hop. */
export async function openClient(h: HostSpec, s: Settings, sock?: Duplex): Promise<Client> {
  const auth = await planAuth(h, s);
  const verifier = createHostVerifier({
    host: h.address,
    port: h.port,
    label: h.label,
    files: h.knownHostsFiles,
    policy: h.hostKeyPolicy,
    ...(h.fingerprint ? { fingerprint: h.fingerprint } : {}),
  });
  const client = new ssh2.Client();
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      client.destroy();
      reject(verifier.failure() ?? connectError(err, h, auth.tried));
    };
    // Nagle's algorithm delays every small channel request by ~40 ms.
    client.once('connect', () => client.setNoDelay(true));
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    client.on('error', fail);
    client.once('close', () =>
      fail(new Error(`connection to ${describeHost(h)} closed during the handshake`)),
    );
    client.connect({
      host: h.address,
      port: h.port,
      username: h.user,
      ...(sock ? { sock } : {}),
      readyTimeout: h.connectTimeoutMs,
      keepaliveInterval: s.keepaliveMs,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer, done: (ok: boolean) => void) => verifier.verify(key, done),
      authHandler: auth.methods,
    });
  });
}
