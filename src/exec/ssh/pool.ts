import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { ChannelLimiter } from './channels.js';
import { hostKey, type HostSpec } from './config.js';
import { connectError, describeHost } from './errors.js';
import { openClient } from './connect.js';
import type { Settings } from './options.js';

/** One live connection shared by every step on that host. */
export interface Conn {
  readonly key: string;
  readonly spec: HostSpec;
  readonly client: Client;
  readonly limiter: ChannelLimiter;
  /** Set once the connection dropped or was destroyed; no new channel may use it. */
  lost: boolean;
  lostReason?: string;
}

/** Connections keyed by (address, port, user, route), opened lazily; concurrent gets coalesce. */
export class ConnectionPool {
  private readonly conns = new Map<string, Promise<Conn>>();

  constructor(private readonly settings: Settings) {}

  get(h: HostSpec): Promise<Conn> {
    const key = hostKey(h);
    const existing = this.conns.get(key);
    if (existing) return existing;
    const opening = this.open(h, key);
    this.conns.set(key, opening);
    opening.catch(() => {
      if (this.conns.get(key) === opening) this.conns.delete(key);
    });
    return opening;
  }

  /** Destroys a connection (its channels close) so the next get() reconnects. */
  drop(conn: Conn, reason: string): void {
    this.markLost(conn, reason);
    conn.client.destroy();
  }

  /** Ends every connection; resolves once all are closed. */
  async closeAll(): Promise<void> {
    const all = [...this.conns.values()];
    this.conns.clear();
    const conns = await Promise.all(all.map((p) => p.catch(() => undefined)));
    await Promise.all(conns.map((c) => (c ? endClient(c) : Promise.resolve())));
  }

  private async open(h: HostSpec, key: string): Promise<Conn> {
    const sock = h.via ? await this.tunnel(h) : undefined;
    const client = await openClient(h, this.settings, sock);
    const conn: Conn = {
      key,
      spec: h,
      client,
      limiter: new ChannelLimiter(this.settings.maxChannelsPerHost),
      lost: false,
    };
    client.on('error', (err: Error) => this.markLost(conn, err.message));
    client.once('end', () => this.markLost(conn, 'server closed the connection'));
    client.once('close', () => this.markLost(conn, 'connection closed'));
    return conn;
  }

  /** A direct-tcpip channel through the jump host (itself pooled), used as the socket. */
  private async tunnel(h: HostSpec): Promise<Duplex> {
    const jump = await this.get(h.via!);
    return new Promise<Duplex>((resolve, reject) => {
      jump.client.forwardOut('127.0.0.1', 0, h.address, h.port, (err, stream) => {
        if (err)
          reject(
            connectError(
              new Error(
                `jump host ${describeHost(h.via!)} could not reach ${h.address}:${h.port}: ${err.message}`,
              ),
              h,
              [],
            ),
          );
        else resolve(stream);
      });
    });
  }

  private markLost(conn: Conn, reason: string): void {
    if (conn.lost) return;
    conn.lost = true;
    conn.lostReason = reason;
    const current = this.conns.get(conn.key);
    void current?.then(
      (c) => {
        if (c === conn && this.conns.get(conn.key) === current) this.conns.delete(conn.key);
      },
      () => undefined,
    );
  }
}

function endClient(conn: Conn): Promise<void> {
  return new Promise((resolve) => {
    if (conn.lost) {
      conn.client.destroy();
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      conn.client.destroy();
      resolve();
    }, 2000);
    conn.client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    conn.lost = true;
    conn.client.end();
  });
}
