import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import { ExecError, type ExecOutcome, type ExecRequest, type ExecSink } from '../types.js';
import { watchChannel, writeInput, type ChannelEnd } from './channel-io.js';
import { connectionLost } from './errors.js';
import { leaseChannel, openExec, type Lease } from './open-channel.js';
import type { Conn, ConnectionPool } from './pool.js';
import { abortRemote, cleanupAfterAbort, within, type AbortResult } from './remote-kill.js';
import { buildRemoteCommand, type RemoteCommand } from './remote-script.js';

export interface ExecContext {
  pool: ConnectionPool;
  /** Keeps fire-and-forget remote clean-ups alive until the executor closes. */
  background(p: Promise<unknown>): void;
}

/** Runs one command on a pooled connection; resolves for any exit, rejects only when it could not run. */
export async function runCommand(
  conn: Conn,
  req: ExecRequest,
  sink: ExecSink,
  ctx: ExecContext,
): Promise<ExecOutcome> {
  const token = randomBytes(12).toString('hex');
  const command = buildRemoteCommand(req, conn.spec.label, token);
  if (req.signal.aborted)
    return {
      exitCode: null,
      signal: null,
      note: `not started on ${conn.spec.label}: cancelled before the channel opened`,
    };
  const lease = await openForCommand(conn, command, req, ctx);
  if (!('channel' in lease)) return lease;
  try {
    return await drive(conn, lease.channel, { req, sink, token, preamble: command.preamble }, ctx);
  } finally {
    lease.release();
  }
}

/**
 * The channel for the command, or the outcome when an abort came first: still queued means nothing
 * ran; an open request that never completes (dead network) drops the connection.
 */
async function openForCommand(
  conn: Conn,
  command: RemoteCommand,
  req: ExecRequest,
  ctx: ExecContext,
): Promise<Lease<ClientChannel> | ExecOutcome> {
  const pty = command.echoOff ? 'no-echo' : req.pty;
  const leasing = leaseChannel(conn, () => openExec(conn, command.line, pty), req.signal);
  let onAbort = (): void => undefined;
  const stuck = new Promise<'stuck'>((resolve) => {
    onAbort = () =>
      void within(
        leasing.catch(() => undefined),
        Math.max(req.killGraceMs, 2000),
      ).then((settled) => settled || resolve('stuck'));
    req.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const first = await Promise.race([leasing, stuck]);
    if (first === undefined)
      return {
        exitCode: null,
        signal: null,
        note: `not started on ${conn.spec.label}: cancelled while waiting for a free channel`,
      };
    if (first !== 'stuck') return first;
    void leasing.then(
      (l) => l?.release(),
      () => undefined,
    );
    ctx.pool.drop(conn, 'opening a channel never completed');
    return { exitCode: null, signal: null, note: `may still be running on ${conn.spec.label}` };
  } finally {
    req.signal.removeEventListener('abort', onAbort);
  }
}

interface Drive {
  req: ExecRequest;
  sink: ExecSink;
  token: string;
  preamble: string;
}

async function drive(conn: Conn, channel: ClientChannel, d: Drive, ctx: ExecContext): Promise<ExecOutcome> {
  const { req, sink, token } = d;
  const watched = watchChannel(channel, sink);
  let aborting: Promise<AbortResult> | undefined;
  const onAbort = (): void => {
    aborting ??= abortRemote({
      conn,
      pool: ctx.pool,
      channel,
      token,
      graceMs: req.killGraceMs,
      closed: watched.closed,
    });
  };
  req.signal.addEventListener('abort', onAbort, { once: true });
  if (req.signal.aborted) onAbort();
  writeInput(channel, d.preamble, req.stdin);
  const end = await watched.end;
  req.signal.removeEventListener('abort', onAbort);
  if (end.sinkError !== undefined) {
    throw new ExecError(
      'internal',
      `writing the output of the command on ${conn.spec.label} failed: ${end.sinkError instanceof Error ? end.sinkError.message : 'the sink rejected'}`,
      { cause: end.sinkError },
    );
  }
  if (aborting) {
    const result = await aborting;
    if (!conn.lost) ctx.background(cleanupAfterAbort(conn, token));
    return abortedOutcome(conn, end, result);
  }
  return finishedOutcome(conn, end);
}

function abortedOutcome(conn: Conn, end: ChannelEnd, r: AbortResult): ExecOutcome {
  if (!r.confirmed)
    return { exitCode: null, signal: null, note: `may still be running on ${conn.spec.label}` };
  if (end.exit && (end.exit.signal !== null || end.exit.code !== null))
    return { exitCode: end.exit.code, signal: end.exit.signal };
  return { exitCode: null, signal: r.lastSignal };
}

function finishedOutcome(conn: Conn, end: ChannelEnd): ExecOutcome {
  if (end.exit) return { exitCode: end.exit.code, signal: end.exit.signal };
  if (conn.lost) throw connectionLost(conn.spec, conn.lostReason);
  return { exitCode: null, signal: null, note: `no exit status from ${conn.spec.label}` };
}
