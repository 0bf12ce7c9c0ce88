import { StringDecoder } from 'node:string_decoder';

/** Keeps the first `limit` bytes of a stream for expressions; counts everything. */
export interface HeadCapture {
  push(chunk: Buffer): void;
  readonly truncated: boolean;
  /** The kept head as text with one trailing newline removed, as shell `$(…)` does. */
  text(): string;
}

export function createHeadCapture(limit: number): HeadCapture {
  const parts: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  return {
    push(chunk) {
      const room = limit - kept;
      if (chunk.length > room) truncated = true;
      if (room <= 0) return;
      const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
      parts.push(Buffer.from(piece));
      kept += piece.length;
    },
    get truncated() {
      return truncated;
    },
    text() {
      const decoder = new StringDecoder('utf8');
      const head = decoder.write(Buffer.concat(parts));
      // A cut head drops a half character at the limit; a complete stream shows bad bytes as U+FFFD.
      const all = truncated ? head : head + decoder.end();
      return all.endsWith('\n') ? all.slice(0, -1) : all;
    },
  };
}
