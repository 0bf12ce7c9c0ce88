import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * What expressions see of a stream: all of it up to `limit` bytes; past that, the first and the
 * last `limit / 2` bytes cut at line ends, joined by one marker line, so `lines(stdout)[0]` and
 * `lines(stdout)[-1]` are the real first and last lines. The output file always has every byte.
 */
export interface Capture {
  push(chunk: Buffer): void;
  /** `n` bytes that are neither head nor tail (reading a file: they are never loaded). */
  skip(n: number): void;
  readonly truncated: boolean;
  /** Bytes seen in all. */
  readonly bytes: number;
  /** The kept text with one trailing newline removed, as shell `$(…)` does. */
  text(): string;
}

export function createCapture(limit: number): Capture {
  const half = Math.max(1, Math.floor(limit / 2));
  const head: Buffer[] = [];
  let headBytes = 0;
  const tail: Buffer[] = [];
  let tailBytes = 0;
  let bytes = 0;
  let headClosed = false;
  return {
    push(chunk) {
      bytes += chunk.length;
      let rest = chunk;
      if (!headClosed && headBytes < half) {
        const piece = rest.subarray(0, half - headBytes);
        head.push(Buffer.from(piece));
        headBytes += piece.length;
        rest = rest.subarray(piece.length);
      }
      if (rest.length === 0) return;
      tail.push(Buffer.from(rest.length > half ? rest.subarray(rest.length - half) : rest));
      tailBytes += Math.min(rest.length, half);
      // Drop whole chunks that the newest `half` bytes no longer need.
      while (tail.length > 1 && tailBytes - tail[0]!.length >= half) tailBytes -= tail.shift()!.length;
    },
    skip(n) {
      bytes += n;
      headClosed = true;
      tail.length = 0;
      tailBytes = 0;
    },
    get truncated() {
      return bytes > limit;
    },
    get bytes() {
      return bytes;
    },
    text() {
      const all = Buffer.concat([...head, ...tail]);
      if (bytes <= limit) return decodeWhole(all);
      const t = Buffer.concat(tail);
      return joinHeadTail(Buffer.concat(head), t.subarray(Math.max(0, t.length - half)), bytes);
    },
  };
}

function decodeWhole(buf: Buffer): string {
  const text = new StringDecoder('utf8').end(buf);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/**
 * Head cut after its last newline and tail begun after its first one (a line cut in two is left
 * out, not shown half); a stream with no newline there keeps the raw cut, minus half characters.
 */
function joinHeadTail(head: Buffer, tail: Buffer, total: number): string {
  const headEnd = head.lastIndexOf(0x0a);
  const h = headEnd >= 0 ? head.subarray(0, headEnd + 1) : head;
  const tailStart = tail.indexOf(0x0a);
  const t = tailStart >= 0 && tailStart < tail.length - 1 ? tail.subarray(tailStart + 1) : tail;
  const omitted = total - h.length - t.length;
  const marker = `[tasker: ${omitted} bytes of this output are not kept for expressions; the output file has them all]\n`;
  const headText = new StringDecoder('utf8').write(h);
  const tailText = decodeTail(t);
  const text = `${headText}${headText.endsWith('\n') ? '' : '\n'}${marker}${tailText}`;
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** Skips continuation bytes a cut left at the start; the end is the stream's real end. */
function decodeTail(t: Buffer): string {
  let i = 0;
  while (i < t.length && i < 3 && (t[i]! & 0xc0) === 0x80) i++;
  return new StringDecoder('utf8').end(t.subarray(i));
}

/**
 * The same view of an output kept as spans with gaps (the PostgreSQL history's copy: head and
 * tail): equal to readCapture of the whole file whenever the spans hold its first and last
 * `limit / 2` bytes.
 */
export function replayCapture(
  spans: readonly { omittedBefore: number; data: Buffer }[],
  limit: number,
): { text: string; truncated: boolean; bytes: number } {
  if (limit <= 0) {
    const bytes = spans.reduce((n, s) => n + s.omittedBefore + s.data.length, 0);
    return { text: '', truncated: bytes > 0, bytes };
  }
  const capture = createCapture(limit);
  for (const s of spans) {
    if (s.omittedBefore > 0) capture.skip(s.omittedBefore);
    capture.push(s.data);
  }
  return { text: capture.text(), truncated: capture.truncated, bytes: capture.bytes };
}

/** The same view of a finished output file (resume, notify): read at most `limit` bytes of it. */
export function readCapture(
  file: string | null | undefined,
  limit: number,
): { text: string; truncated: boolean; bytes: number } {
  if (!file || limit <= 0) return { text: '', truncated: false, bytes: 0 };
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { text: '', truncated: false, bytes: 0 };
  }
  try {
    const size = fstatSync(fd).size;
    const capture = createCapture(limit);
    if (size <= limit) capture.push(readAt(fd, 0, size));
    else {
      const half = Math.max(1, Math.floor(limit / 2));
      capture.push(readAt(fd, 0, half));
      capture.skip(size - 2 * half);
      capture.push(readAt(fd, size - half, half));
    }
    return { text: capture.text(), truncated: capture.truncated, bytes: capture.bytes };
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, position);
  return buf.subarray(0, n);
}
