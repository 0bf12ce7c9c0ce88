import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { SearchMatch, SearchResult } from './api-types.js';
import type { OutputSource } from './output.js';
import { plainText } from './page/ansi.js';

const MAX_LINE_CHARS = 400;

/**
 * Lines of the output containing `query` (case-insensitive, escapes ignored), read as a stream:
 * memory stays bounded by one chunk and one line, whatever the file's size.
 */
export function searchOutput(source: OutputSource, query: string, maxMatches: number): Promise<SearchResult> {
  const needle = query.toLowerCase();
  const matches: SearchMatch[] = [];
  let truncated = false;
  let carry = Buffer.alloc(0);
  let carryOffset = 0;
  let line = 0;
  const test = (bytes: Buffer, offset: number): void => {
    line++;
    const text = plainText(bytes.toString('utf8'));
    if (!text.toLowerCase().includes(needle)) return;
    if (matches.length >= maxMatches) truncated = true;
    else matches.push({ offset, line, text: text.slice(0, MAX_LINE_CHARS) });
  };
  return new Promise((resolve, reject) => {
    const stream =
      source.kind === 'file'
        ? createReadStream(source.file, { highWaterMark: 64 * 1024 })
        : Readable.from([source.data]);
    stream.on('data', (data: string | Buffer) => {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
        test(buf.subarray(start, nl), carryOffset + start);
        start = nl + 1;
      }
      // Memory stays bounded: a line longer than 1 MiB is searched piecewise.
      const long = buf.length - start > 1024 * 1024;
      if (long) test(buf.subarray(start), carryOffset + start);
      carryOffset += long ? buf.length : start;
      carry = long ? Buffer.alloc(0) : Buffer.from(buf.subarray(start));
      if (truncated) stream.destroy();
    });
    stream.on('error', reject);
    stream.on('close', () => {
      if (carry.length && !truncated) test(carry, carryOffset);
      resolve({ matches, truncated });
    });
  });
}
