import { readdirSync, realpathSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { AttemptFields } from '../model/result-codec.js';
import { safeFileName } from '../output/index.js';
import type { RunRecord, StepRecord } from '../store/index.js';
import type { OutputPage, Stream } from './api-types.js';

export const DEFAULT_PAGE_BYTES = 64 * 1024;
export const MAX_PAGE_BYTES = 1024 * 1024;

/**
 * The output file of the step (its last attempt) or of one of its attempts, only when it lies inside
 * the run directory. A running step has no file in the history yet: its name is derived the way the
 * runner names it (`<id>[@host][.n].stream`).
 */
export function outputFile(
  run: RunRecord,
  step: StepRecord,
  stream: Stream,
  attempt?: AttemptFields,
): string | undefined {
  const of = attempt ?? step;
  const recorded = stream === 'stdout' ? of.stdoutFile : of.stderrFile;
  const running = !attempt && step.status === 'running';
  const file = recorded ?? (running ? runningFile(run.runDir, step, stream) : null);
  if (file === null || file === undefined) return undefined;
  try {
    const dir = realpathSync(run.runDir);
    const real = realpathSync(file);
    return real.startsWith(dir + sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

/** The newest execution that has written to this stream (an execution whose stream is still empty has no file). */
function runningFile(dir: string, step: StepRecord, stream: Stream): string | undefined {
  const base = safeFileName(step.host ? `${step.id}@${step.host}` : step.id);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  let best = 0;
  for (const name of names) {
    if (!name.startsWith(base) || !name.endsWith(`.${stream}`)) continue;
    const middle = name.slice(base.length, name.length - stream.length - 1);
    const n = middle === '' ? 1 : /^\.[1-9]\d*$/.test(middle) ? Number(middle.slice(1)) : 0;
    best = Math.max(best, n);
  }
  if (best === 0) return undefined;
  return join(dir, `${best > 1 ? `${base}.${best}` : base}.${stream}`);
}

/**
 * Where a step's output is read: its file in the run directory (this box ran it), or the copy the
 * history keeps (PostgreSQL: another box ran it; head and tail past 1 MiB, with a marker line).
 */
export type OutputSource = { kind: 'file'; file: string } | { kind: 'copy'; data: Buffer; host: string };

/**
 * Bytes [offset, offset+limit) of the output, moved on to the next line start and cut back after the
 * last newline (or at a UTF-8 character boundary), so pages join without splitting a line or a
 * character. `offset` -N starts N bytes before the end.
 */
export async function readPage(
  source: OutputSource,
  stream: Stream,
  offset: number,
  limit: number,
): Promise<OutputPage> {
  if (source.kind === 'copy') {
    const size = source.data.length;
    const w = windowOf(size, offset, limit);
    const page = pageOf(source.data.subarray(w.from, w.from + w.length), size, w, stream);
    return { ...page, copyFrom: source.host };
  }
  const fh = await open(source.file, 'r');
  try {
    const size = (await fh.stat()).size;
    const w = windowOf(size, offset, limit);
    const buf = Buffer.alloc(w.length);
    const { bytesRead } = await fh.read(buf, 0, buf.length, w.from);
    return pageOf(buf.subarray(0, bytesRead), size, w, stream);
  } finally {
    await fh.close();
  }
}

interface Window {
  /** Where the page should start; `from` is one byte before, which tells whether it is a line start. */
  want: number;
  from: number;
  length: number;
}

function windowOf(size: number, offset: number, limit: number): Window {
  const want = offset < 0 ? Math.max(0, size + offset) : Math.min(offset, size);
  const from = want > 0 ? want - 1 : 0;
  return { want, from, length: Math.min(limit + want - from, size - from) };
}

/** The page in `read` (the window's bytes), moved to a line start and cut at a line end. */
function pageOf(read: Buffer, size: number, w: Window, stream: Stream): OutputPage {
  let bytes = read;
  let start = w.from;
  if (w.want > 0) {
    const nl = bytes.indexOf(10);
    const skip = nl >= 0 && nl < bytes.length - 1 ? nl + 1 : 1 + continuationBytes(bytes.subarray(1));
    start += skip;
    bytes = bytes.subarray(skip);
  }
  if (start + bytes.length < size) bytes = bytes.subarray(0, cutPoint(bytes));
  return { stream, size, offset: start, end: start + bytes.length, text: bytes.toString('utf8') };
}

function continuationBytes(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length && i < 3 && (bytes[i]! & 0xc0) === 0x80) i++;
  return i;
}

/** After the last newline; else before a trailing partial UTF-8 character; never 0 for a non-empty page. */
function cutPoint(bytes: Buffer): number {
  const nl = bytes.lastIndexOf(10);
  if (nl >= 0) return nl + 1;
  let i = bytes.length;
  while (i > 0 && i > bytes.length - 4 && (bytes[i - 1]! & 0xc0) === 0x80) i--;
  if (i > 0 && bytes[i - 1]! >= 0xc0) return i - 1 || bytes.length;
  return bytes.length;
}
