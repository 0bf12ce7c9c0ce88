import type { ClientChannel, ExecOptions, SFTPWrapper } from 'ssh2';
import { ExecError } from '../types.js';
import { trackExit } from './channel-io.js';
import { connectionLost, isChannelOpenFailure } from './errors.js';
import type { Conn } from './pool.js';

/** A channel plus its slot in the connection's limiter; release exactly once when done. */
export interface Lease<T> {
  channel: T;
  release(): void;
}

/** How often a refused open is retried while nothing else is open on the connection to wait for. */
const IDLE_RETRIES = 5;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens a channel under the cap; a refusal (sshd MaxSessions) lowers the cap and retries. Resolves
 * undefined when `signal` aborts while the request is still queued (nothing was started).
 */
export function leaseChannel<T>(conn: Conn, open: () => Promise<T>): Promise<Lease<T>>;
export function leaseChannel<T>(
  conn: Conn,
  open: () => Promise<T>,
  signal: AbortSignal,
): Promise<Lease<T> | undefined>;
export async function leaseChannel<T>(
  conn: Conn,
  open: () => Promise<T>,
  signal?: AbortSignal,
): Promise<Lease<T> | undefined> {
  let idleFailures = 0;
  for (let attempt = 0; ; attempt++) {
    if (conn.lost) throw connectionLost(conn.spec, conn.lostReason);
    if (!(await conn.limiter.acquire(attempt > 0, signal))) return undefined;
    try {
      const channel = await open();
      let released = false;
      const release = (): void => {
        if (!released) conn.limiter.release();
        released = true;
      };
      return { channel, release };
    } catch (err) {
      conn.limiter.release();
      if (conn.lost) throw connectionLost(conn.spec, conn.lostReason);
      if (!isChannelOpenFailure(err))
        throw new ExecError('spawn', `${conn.spec.label} would not start the command: ${String(err)}`, {
          cause: err,
        });
      conn.limiter.lower();
      if (conn.limiter.inUse === 0 && ++idleFailures > IDLE_RETRIES) {
        throw new ExecError(
          'spawn',
          `${conn.spec.label} refuses to open any session channel (${String(err)}); check sshd's MaxSessions and the account's limits`,
        );
      }
      if (conn.limiter.inUse === 0) await pause(50 * idleFailures);
    }
  }
}

/**
 * Raw ssh2 exec; throws ssh2's error (e.g. "Channel open failure") for leaseChannel to sort.
 * `pty: 'no-echo'` asks for a terminal that does not echo input (the env header is read from it).
 */
export function openExec(conn: Conn, command: string, pty: boolean | 'no-echo'): Promise<ClientChannel> {
  const options: ExecOptions =
    pty === false ? {} : { pty: pty === 'no-echo' ? { modes: { ECHO: 0 } } : true };
  return new Promise((resolve, reject) => {
    try {
      conn.client.exec(command, options, (err, channel) => {
        if (err) return reject(err);
        trackExit(channel);
        resolve(channel);
      });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

export function openSftp(conn: Conn): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => {
    try {
      conn.client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp)));
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
