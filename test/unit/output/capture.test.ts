import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCapture, readCapture, replayCapture } from '../../../src/output/capture.js';

const push = (limit: number, ...chunks: string[]) => {
  const c = createCapture(limit);
  for (const chunk of chunks) c.push(Buffer.from(chunk));
  return c;
};

describe('createCapture: head and tail for expressions', () => {
  it('keeps everything up to the limit and removes one trailing newline', () => {
    const c = push(100, 'a\n', 'b\n');
    expect(c.text()).toBe('a\nb');
    expect(c.truncated).toBe(false);
    expect(push(4, 'abcd').truncated).toBe(false);
  });

  it('past the limit keeps whole first and last lines with one marker line between', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`);
    const c = createCapture(200);
    for (const l of lines) c.push(Buffer.from(`${l}\n`));
    expect(c.truncated).toBe(true);
    const seen = c.text().split('\n');
    expect(seen[0]).toBe('line 0');
    expect(seen.at(-1)).toBe('line 999');
    expect(seen.filter((l) => l.startsWith('[tasker: '))).toHaveLength(1);
    // Every other line is a real, whole line of the stream.
    for (const l of seen.filter((x) => !x.startsWith('[tasker: '))) expect(lines).toContain(l);
    expect(c.bytes).toBe(lines.join('\n').length + 1);
  });

  it('the tail is right whatever the chunk sizes, including chunks larger than the limit', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `row-${i}`).join('\n');
    for (const size of [1, 7, 64, 1000, 100_000]) {
      const c = createCapture(512);
      for (let i = 0; i < text.length; i += size) c.push(Buffer.from(text.slice(i, i + size)));
      const seen = c.text().split('\n');
      expect([size, seen[0], seen.at(-1)]).toEqual([size, 'row-0', 'row-4999']);
    }
  });

  it('one huge line: the cut keeps whole characters at both ends', () => {
    const c = push(10, 'é'.repeat(50));
    const text = c.text();
    expect(text).not.toContain('\uFFFD');
    expect(text.startsWith('é')).toBe(true);
    expect(text.endsWith('é')).toBe(true);
  });
});

describe('readCapture: the same view of a file (resume, notify)', () => {
  it('matches the live capture of the same bytes', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'cap-')), 'out');
    const text = Array.from({ length: 3000 }, (_, i) => `r${i}`).join('\n') + '\n';
    writeFileSync(file, text);
    expect(readCapture(file, 300)).toEqual({
      text: push(300, text).text(),
      truncated: true,
      bytes: text.length,
    });
    expect(readCapture(file, 1 << 20).text).toBe(text.slice(0, -1));
    expect(readCapture(null, 10)).toEqual({ text: '', truncated: false, bytes: 0 });
  });
});

describe('replayCapture: the same view of a head-and-tail copy (the PostgreSQL history)', () => {
  // The store keeps all of a stream up to `cap`, else its first and last cap/2 bytes (pg/output.ts).
  const kept = (all: Buffer, cap: number) => {
    const half = Math.floor(cap / 2);
    return all.length <= cap
      ? [{ omittedBefore: 0, data: all }]
      : [
          { omittedBefore: 0, data: all.subarray(0, half) },
          { omittedBefore: all.length - 2 * half, data: all.subarray(all.length - half) },
        ];
  };

  it('equals the live capture of the whole stream for every limit up to the kept size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant('\n'), fc.string({ maxLength: 40 }), fc.constant('é✓\n')), {
          maxLength: 200,
        }),
        fc.integer({ min: 2, max: 600 }),
        fc.integer({ min: 1, max: 600 }),
        (parts, cap, limit) => {
          fc.pre(limit <= cap && cap % 2 === 0);
          const all = Buffer.from(parts.join(''));
          const live = push(limit, all.toString());
          expect(replayCapture(kept(all, cap), limit)).toEqual({
            text: live.text(),
            truncated: live.truncated,
            bytes: all.length,
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('with a limit above the kept size: the kept head, one marker, the kept tail (the gap is never closed up)', () => {
    const all = Buffer.from(Array.from({ length: 3000 }, (_, i) => `r${i}`).join('\n') + '\n');
    const text = replayCapture(kept(all, 300), 1000).text;
    const lines = text.split('\n');
    expect(lines[0]).toBe('r0');
    expect(lines[lines.length - 1]).toBe('r2999');
    expect(lines.filter((l) => l.startsWith('[tasker: '))).toHaveLength(1);
    // Every kept line once, in order: the tail is not glued onto the head.
    const kept_ = lines.filter((l) => !l.startsWith('[tasker: ')).map((l) => Number(l.slice(1)));
    expect(kept_).toEqual([...kept_].sort((a, b) => a - b));
    expect(new Set(kept_).size).toBe(kept_.length);
    expect(kept_[kept_.length - 1]! - kept_[0]!).toBeGreaterThan(2900);
  });

  it('with limit 0 keeps no text but still counts the bytes', () => {
    const spans = [
      { omittedBefore: 0, data: Buffer.from('ab') },
      { omittedBefore: 5, data: Buffer.from('cd') },
    ];
    expect(replayCapture(spans, 0)).toEqual({ text: '', truncated: true, bytes: 9 });
  });
});
