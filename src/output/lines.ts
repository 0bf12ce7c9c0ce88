import { StringDecoder } from 'node:string_decoder';

/** A line longer than this is passed on in pieces, so one huge line never sits in memory. */
const MAX_LINE_CHARS = 64 * 1024;

/** Splits a byte stream into text lines: UTF-8 decoded across chunk edges, `\n` or `\r\n` ends. */
export interface LineSplitter {
  push(bytes: Buffer): void;
  /** Emits the final partial line, if any. */
  end(): void;
}

/** Cuts before a high surrogate so a piece never ends in half a character. */
function pieceEnd(text: string, max: number): number {
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

export function createLineSplitter(
  emit: (line: string) => void,
  maxLineChars = MAX_LINE_CHARS,
): LineSplitter {
  const decoder = new StringDecoder('utf8');
  let partial = '';

  function emitLine(line: string): void {
    let rest = line.endsWith('\r') ? line.slice(0, -1) : line;
    while (rest.length > maxLineChars) {
      const cut = pieceEnd(rest, maxLineChars);
      emit(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    emit(rest);
  }

  function text(s: string): void {
    let start = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
      emitLine(partial + s.slice(start, nl));
      partial = '';
      start = nl + 1;
    }
    partial += s.slice(start);
    while (partial.length >= maxLineChars) {
      const cut = pieceEnd(partial, maxLineChars);
      emit(partial.slice(0, cut));
      partial = partial.slice(cut);
    }
  }

  return {
    push: (bytes) => text(decoder.write(bytes)),
    end() {
      text(decoder.end());
      if (partial !== '') emitLine(partial);
      partial = '';
    },
  };
}
