import { createHash } from 'node:crypto';
import net from 'node:net';
import ssh2, { type Connection, type ServerChannel } from 'ssh2';

/** What the fake server does with one exec request; `command` is the full remote command line. */
export type ExecBehaviour = (command: string, channel: ServerChannel, client: Connection) => void;

export interface FakeSshServer {
  port: number;
  hostKeyFingerprint: string;
  /** `[127.0.0.1]:port type base64`, for a known_hosts file. */
  knownHostsLine: string;
  /** Every exec command received, in order. */
  commands: string[];
  /** Every signal request received, in order. */
  signals: string[];
  /** Session channels refused because `maxSessions` were open. */
  readonly refusedSessions: number;
  close(): Promise<void>;
}

export interface FakeOptions extends FakeBehaviour {
  exec: ExecBehaviour;
}

interface FakeBehaviour {
  /** Default: accept any public key. */
  acceptAuth?: boolean;
  /** True: leave this exec request unanswered forever (a server that stalls while starting a command). */
  hold?: (command: string) => boolean;
  /** Refuse session channels beyond this many open at once per connection, as sshd's MaxSessions. */
  maxSessions?: number;
}

const hostKey = ssh2.utils.generateKeyPairSync('ed25519');

function publicBlob(): Buffer {
  const parsed = ssh2.utils.parseKey(hostKey.public);
  if (parsed instanceof Error) throw parsed;
  return parsed.getPublicSSH();
}

/** An in-process ssh2 server on 127.0.0.1 for faults a real sshd will not produce on demand. */
export function startFakeSshServer(o: FakeOptions): Promise<FakeSshServer> {
  const commands: string[] = [];
  const signals: string[] = [];
  const clients = new Set<Connection>();
  let refused = 0;
  const srv = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) =>
      o.acceptAuth !== false && ctx.method === 'publickey' ? ctx.accept() : ctx.reject(['publickey']),
    );
    let open = 0;
    client.on('ready', () =>
      client.on('session', (accept, reject) => {
        if (o.maxSessions !== undefined && open >= o.maxSessions) {
          refused++;
          return reject();
        }
        open++;
        const session = accept();
        session.once('close', () => open--);
        session.on('signal', (_acc, _rej, info: { name: string }) => signals.push(info.name));
        session.on('exec', (acc, _rej, info: { command: string }) => {
          commands.push(info.command);
          if (o.hold?.(info.command)) return;
          const channel = acc();
          channel.on('error', () => undefined);
          o.exec(info.command, channel, client);
        });
      }),
    );
  });
  const blob = publicBlob();
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      resolve({
        port,
        hostKeyFingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
        knownHostsLine: `[127.0.0.1]:${port} ssh-ed25519 ${blob.toString('base64')}`,
        commands,
        signals,
        get refusedSessions() {
          return refused;
        },
        close: () =>
          new Promise<void>((r) => {
            for (const c of clients) c.end();
            srv.close(() => r());
          }),
      });
    });
  });
}

/** A TCP server that accepts and never says a word: an SSH handshake that never completes. */
export function startSilentTcpServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () =>
      resolve({
        port: (srv.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            srv.close(() => r());
          }),
      }),
    );
  });
}

/** A TCP proxy to `port` whose `freeze()` silently stops forwarding on open connections (a dead network path). */
export function startFreezableProxy(
  port: number,
): Promise<{ port: number; freeze(): void; close(): Promise<void> }> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  const srv = net.createServer((inbound) => {
    const outbound = net.connect({ host: '127.0.0.1', port });
    const pair: [net.Socket, net.Socket] = [inbound, outbound];
    pairs.add(pair);
    for (const s of pair) s.on('error', () => undefined);
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('close', () => (outbound.destroy(), pairs.delete(pair)));
    outbound.on('close', () => inbound.destroy());
  });
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () =>
      resolve({
        port: (srv.address() as net.AddressInfo).port,
        freeze: () => {
          for (const [a, b] of pairs) {
            a.unpipe(b);
            b.unpipe(a);
            a.pause();
            b.pause();
          }
        },
        close: () =>
          new Promise<void>((r) => {
            for (const [a, b] of pairs) {
              a.destroy();
              b.destroy();
            }
            srv.close(() => r());
          }),
      }),
    );
  });
}
