import { open, type FileHandle } from 'node:fs/promises';
import type { PoolClient } from 'pg';
import type { StoredOutput } from '../history-store.js';

/**
 * How much of each stream of each step the PostgreSQL history keeps: all of it up to 1 MiB, past
 * that the first and the last 512 KiB (what failed is usually at the end, what ran at the start).
 * The local files keep everything; the copy is what another box can read.
 */
export const OUTPUT_CAP = 1024 * 1024;
const CHUNK = 256 * 1024;

interface Piece {
  omittedBefore: number;
  data: Buffer;
}

/** The head and tail of a file, in chunks; [] when it is missing, empty, not a regular file or unreadable. */
async function cappedPieces(file: string, cap = OUTPUT_CAP): Promise<Piece[]> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return [];
  }
  try {
    const stat = await handle.stat();
    return stat.isFile() ? await readSpans(handle, stat.size, cap) : [];
  } catch {
    // Unreadable now (a directory, an I/O error): the run's files stay the record of it.
    return [];
  } finally {
    await handle.close();
  }
}

async function readSpans(handle: FileHandle, size: number, cap: number): Promise<Piece[]> {
  const half = Math.floor(cap / 2);
  const spans =
    size <= cap
      ? [{ at: 0, len: size, omitted: 0 }]
      : [
          { at: 0, len: half, omitted: 0 },
          { at: size - half, len: half, omitted: size - 2 * half },
        ];
  const pieces: Piece[] = [];
  for (const span of spans)
    for (let off = 0; off < span.len; off += CHUNK) {
      const len = Math.min(CHUNK, span.len - off);
      const buf = Buffer.alloc(len);
      const { bytesRead } = await handle.read(buf, 0, len, span.at + off);
      pieces.push({ omittedBefore: off === 0 ? span.omitted : 0, data: buf.subarray(0, bytesRead) });
    }
  return pieces;
}

/** Replaces the stored copy of one stream of a step (a retried batch writes the same rows again). */
export async function storeOutput(
  client: PoolClient,
  seq: number,
  stream: 'stdout' | 'stderr',
  file: string | null,
): Promise<void> {
  await client.query('DELETE FROM step_output WHERE step_seq = $1 AND stream = $2', [seq, stream]);
  if (!file) return;
  const pieces = await cappedPieces(file);
  for (const [part, p] of pieces.entries())
    await client.query(
      'INSERT INTO step_output (step_seq, stream, part, omitted_before, data) VALUES ($1, $2, $3, $4, $5)',
      [seq, stream, part, p.omittedBefore, p.data],
    );
}

/** The stored copy, with a one-line marker where bytes were left out. */
export function joinOutput(rows: readonly { omitted_before: number; data: Buffer }[]): StoredOutput {
  let omitted = 0;
  const parts: Buffer[] = [];
  for (const r of rows) {
    if (r.omitted_before > 0) {
      omitted += r.omitted_before;
      parts.push(
        Buffer.from(
          `\n[tasker: ${r.omitted_before} bytes left out here; the whole output is in the run's files on the box that ran it]\n`,
        ),
      );
    }
    parts.push(r.data);
  }
  const spans = rows.map((r) => ({ omittedBefore: r.omitted_before, data: r.data }));
  return { data: Buffer.concat(parts), omitted, spans };
}
