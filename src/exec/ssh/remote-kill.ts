import type { ClientChannel } from 'ssh2';
import type { Conn, ConnectionPool } from './pool.js';
import { buildCleanupCommand, buildKillCommand, buildKillConfirmCommand } from './remote-script.js';

/** Runs a short command on its own channel (outside the cap: the aborted step holds a slot); true on exit 0. */
export function runSideCommand(conn: Conn, command: string, timeoutMs: number): Promise<boolean> {
  if (conn.lost) return Promise.resolve(false);
  return new Promise((resolve) => {
    let ok = false;
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      resolve(ok);
    };
    try {
      conn.client.exec(command, (err, ch) => {
        if (err) return done();
        ch.on('error', () => undefined);
        ch.on('exit', (code: number | null) => (ok = code === 0));
        ch.on('close', done);
        ch.resume();
        ch.stderr.resume();
        ch.end();
      });
    } catch {
      done();
    }
  });
}

/** Resolves true if `p` settles within `ms`. */
export function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export interface AbortContext {
  conn: Conn;
  pool: ConnectionPool;
  channel: ClientChannel;
  token: string;
  graceMs: number;
  closed: Promise<void>;
}

export type AbortResult = { lastSignal: 'SIGTERM' | 'SIGKILL'; confirmed: boolean };

type ChannelInternals = {
  outgoing?: { id?: number; state?: string };
  _client?: { _protocol?: { signal?(id: number, name: string): void } };
};

/** ssh2's `signal()` drops the request once we sent EOF (stdin done), which is every command; send it directly. */
function signalChannel(channel: ClientChannel, sig: 'TERM' | 'KILL'): void {
  const c = channel as unknown as ChannelInternals;
  const id = c.outgoing?.id;
  const state = c.outgoing?.state;
  try {
    if (id !== undefined && (state === 'open' || state === 'eof') && c._client?._protocol?.signal)
      c._client._protocol.signal(id, sig);
    else channel.signal(sig);
  } catch {
    // The channel is already gone; the process-group kill below still runs.
  }
}

/**
 * TERM (signal request + kill of the remote process group), grace, then always KILL the group and
 * confirm it is empty: members can outlive the channel (a pty session closes when its shell dies,
 * while a child that ignores TERM runs on). Then close; drop the connection if nothing closes.
 * sshd ignores signal requests for root logins, so the group kill is what stops the command there.
 */
export async function abortRemote(c: AbortContext): Promise<AbortResult> {
  const sideTimeout = Math.max(c.graceMs, 2000);
  signalChannel(c.channel, 'TERM');
  void runSideCommand(c.conn, buildKillCommand(c.token, 'TERM'), sideTimeout);
  const closedOnTerm = await within(c.closed, c.graceMs);
  if (!closedOnTerm) signalChannel(c.channel, 'KILL');
  const emptied = await runSideCommand(c.conn, buildKillConfirmCommand(c.token), sideTimeout + 3000);
  const lastSignal = closedOnTerm ? 'SIGTERM' : 'SIGKILL';
  if (closedOnTerm || (await within(c.closed, Math.min(c.graceMs, 1000))))
    return { lastSignal, confirmed: emptied };
  c.channel.close();
  if (await within(c.closed, Math.max(c.graceMs, 3000))) return { lastSignal, confirmed: emptied };
  c.pool.drop(c.conn, 'a remote kill was never confirmed');
  return { lastSignal, confirmed: false };
}

/** Removes the pid file a killed wrapper could not remove itself. */
export function cleanupAfterAbort(conn: Conn, token: string): Promise<boolean> {
  return runSideCommand(conn, buildCleanupCommand(token), 5000);
}
