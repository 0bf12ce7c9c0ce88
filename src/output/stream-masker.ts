import { MASK, escapeRegExp } from './masker.js';

/**
 * Masks secrets in a byte stream. Bytes are matched as latin1 text (one char per byte), so the regex
 * engine works on raw bytes and UTF-8 never needs decoding here. Only a tail that could be the start
 * of a secret is held back (at most `longest - 1` bytes), so a secret split across chunks is caught,
 * memory stays bounded, and a line ending in `\n` is passed on at once.
 */
export interface StreamMasker {
  /** Returns the bytes that are final; may be empty while a possible secret prefix is held back. */
  push(chunk: Buffer): Buffer;
  /** Returns whatever was held back, masked. */
  flush(): Buffer;
}

const MASK_BYTES = Buffer.from(MASK, 'latin1');

export function createStreamMasker(secrets: readonly string[]): StreamMasker {
  const byteSecrets = secrets.map((s) => Buffer.from(s, 'utf8').toString('latin1'));
  if (byteSecrets.length === 0) return { push: (chunk) => chunk, flush: () => Buffer.alloc(0) };
  const longest = Math.max(...byteSecrets.map((s) => s.length));
  const pattern = new RegExp(byteSecrets.map(escapeRegExp).join('|'), 'g');
  let pending = Buffer.alloc(0);

  /** First offset where a secret may start but runs past the end of `text`; else its length. */
  function undecidedFrom(text: string): number {
    for (let p = Math.max(0, text.length - (longest - 1)); p < text.length; p++) {
      const tail = text.slice(p);
      if (byteSecrets.some((s) => s.length > tail.length && s.startsWith(tail))) return p;
    }
    return text.length;
  }

  /** Masks matches starting before `cut` (each is decided) and returns the bytes up to where they end. */
  function maskUpTo(buf: Buffer, text: string, cut: number): { out: Buffer; end: number } {
    const parts: Buffer[] = [];
    let pos = 0;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null && m.index < cut; m = pattern.exec(text)) {
      parts.push(buf.subarray(pos, m.index), MASK_BYTES);
      pos = m.index + m[0].length;
    }
    const end = Math.max(pos, cut);
    parts.push(buf.subarray(pos, end));
    return { out: parts.length === 1 ? parts[0]! : Buffer.concat(parts), end };
  }

  return {
    push(chunk) {
      const buf = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const text = buf.toString('latin1');
      const { out, end } = maskUpTo(buf, text, undecidedFrom(text));
      pending = Buffer.from(buf.subarray(end));
      return out;
    },
    flush() {
      const buf = pending;
      pending = Buffer.alloc(0);
      return maskUpTo(buf, buf.toString('latin1'), buf.length).out;
    },
  };
}
