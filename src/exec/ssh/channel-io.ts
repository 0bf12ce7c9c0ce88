import type { Readable } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import type { ExecSink } from '../types.js';

export interface ChannelEnd {
  exit?: { code: number | null; signal: string | null };
  sinkError?: unknown;
}

export interface WatchedChannel {
  /** Resolves when the channel closed and both streams ended (all data delivered). */
  closed: Promise<void>;
  /** Resolves after `closed` once every pending sink write settled. */
  end: Promise<ChannelEnd>;
}

const exits = new WeakMap<ClientChannel, { code: number | null; signal: string | null }>();

/**
 * Records the exit status; must run synchronously in ssh2's exec callback, because the status can
 * arrive in the same packet batch as the open confirmation, before any awaited code runs.
 */
export function trackExit(channel: ClientChannel): void {
  channel.on('exit', (code: number | null, signal?: string) => {
    exits.set(channel, { code: typeof code === 'number' ? code : null, signal: normalizeSignal(signal) });
  });
}

/** Node (and the local executor) say `SIGTERM`; some servers send the bare `TERM`. */
function normalizeSignal(sig: string | null | undefined): string | null {
  if (!sig) return null;
  return sig.startsWith('SIG') ? sig : `SIG${sig}`;
}

function ended(stream: Readable, event: 'close' | 'end'): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.readableEnded) return resolve();
    stream.once(event, () => resolve());
    stream.once('close', () => resolve());
  });
}

/** Streams both outputs into the sink; a returned promise pauses that stream until it settles. */
export function watchChannel(channel: ClientChannel, sink: ExecSink): WatchedChannel {
  const state: ChannelEnd = {};
  const pending = new Set<Promise<void>>();
  const forward = (stream: Readable, write: (chunk: Buffer) => void | Promise<void>): void => {
    stream.on('data', (chunk: Buffer) => {
      let r: void | Promise<void>;
      try {
        r = write(chunk);
      } catch (err) {
        state.sinkError ??= err;
        return;
      }
      if (!(r instanceof Promise)) return;
      stream.pause();
      const p: Promise<void> = r.then(
        () => void stream.resume(),
        (err: unknown) => {
          state.sinkError ??= err;
          stream.resume();
        },
      );
      pending.add(p);
      void p.finally(() => pending.delete(p));
    });
  };
  forward(channel, (c) => sink.stdout(c));
  forward(channel.stderr, (c) => sink.stderr(c));
  channel.on('error', () => undefined);
  const closed = Promise.all([ended(channel, 'close'), ended(channel.stderr, 'end')]).then(() => undefined);
  const end = closed.then(async () => {
    while (pending.size > 0) await Promise.all([...pending]);
    const exit = exits.get(channel);
    return exit ? { ...state, exit } : state;
  });
  return { closed, end };
}

/** The preamble (sudo password line, env header) first, then the step's stdin, then EOF. */
export function writeInput(channel: ClientChannel, preamble: string, stdin: string | undefined): void {
  if (preamble !== '') channel.write(preamble);
  if (stdin !== undefined && stdin !== '') channel.write(stdin);
  channel.end();
}
