import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputFile, readPage, type OutputSource } from '../../../src/serve/output.js';
import { searchOutput } from '../../../src/serve/search.js';
import type { RunRecord, StepRecord } from '../../../src/store/index.js';
import { tempDir } from '../../helpers/cli.js';

// The same reads from a file of the run directory and from the copy a PostgreSQL history keeps.
const SOURCES: [string, (content: string | Buffer) => OutputSource][] = [
  [
    'a file',
    (content) => {
      const f = join(tempDir(), 'out.stdout');
      writeFileSync(f, content);
      return { kind: 'file', file: f };
    },
  ],
  ['the history copy', (content) => ({ kind: 'copy', data: Buffer.from(content), host: 'box-a' })],
];

describe.each(SOURCES)('readPage from %s', (_, file) => {
  it('cuts a page after its last newline, so pages join into the whole file', async () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`).join('\n') + '\n';
    const f = file(text);
    let offset = 0;
    let joined = '';
    for (let n = 0; n < 1000 && offset < text.length; n++) {
      const page = await readPage(f, 'stdout', offset, 1000);
      expect(page.text.endsWith('\n')).toBe(true);
      joined += page.text;
      offset = page.end;
    }
    expect(joined).toBe(text);
  });

  it('never splits a UTF-8 character, even in a line longer than the page', async () => {
    const text = '€'.repeat(1000);
    const f = file(text);
    let offset = 0;
    let joined = '';
    while (offset < Buffer.byteLength(text)) {
      const page = await readPage(f, 'stdout', offset, 100);
      expect(page.text).not.toContain('\ufffd');
      expect(page.end).toBeGreaterThan(offset);
      joined += page.text;
      offset = page.end;
    }
    expect(joined).toBe(text);
  });

  it('moves a page that would start mid-line on to the next line start', async () => {
    const f = file('aaaa\nbbbb\ncccc\n');
    expect(await readPage(f, 'stdout', 2, 100)).toMatchObject({ text: 'bbbb\ncccc\n', offset: 5 });
    expect(await readPage(f, 'stdout', 5, 100)).toMatchObject({ text: 'bbbb\ncccc\n', offset: 5 });
    // A line longer than the page: the page starts where asked.
    expect(await readPage(f, 'stdout', 6, 3)).toMatchObject({ offset: 6, text: 'bbb' });
    const long = file('€'.repeat(100));
    const mid = await readPage(long, 'stdout', 4, 30);
    expect(mid.offset).toBe(6);
    expect(mid.text).toBe('€'.repeat(9));
  });

  it('reads the last page from a line start when offset is negative', async () => {
    const f = file('aaaa\nbbbb\ncccc\n');
    const page = await readPage(f, 'stdout', -8, 8);
    expect(page).toMatchObject({ text: 'cccc\n', offset: 10, end: 15, size: 15 });
  });
});

describe('outputFile', () => {
  it('serves only files inside the run directory, even if the history points elsewhere', () => {
    const dir = tempDir();
    const runDir = join(dir, 'run');
    mkdirSync(runDir);
    writeFileSync(join(runDir, 'a.stdout'), 'ok');
    writeFileSync(join(dir, 'secret'), 'no');
    symlinkSync(join(dir, 'secret'), join(runDir, 'b.stdout'));
    const run = { runDir } as RunRecord;
    const step = (stdoutFile: string | null, status = 'ok') =>
      ({ id: 'a', host: null, stdoutFile, status }) as unknown as StepRecord;
    expect(outputFile(run, step(join(runDir, 'a.stdout')), 'stdout')).toMatch(/a\.stdout$/);
    expect(outputFile(run, step(join(dir, 'secret')), 'stdout')).toBeUndefined();
    expect(outputFile(run, step(join(runDir, '../secret')), 'stdout')).toBeUndefined();
    expect(outputFile(run, step(join(runDir, 'b.stdout')), 'stdout')).toBeUndefined();
    // A running step has no file in the history yet: it is found by the runner's naming rule.
    expect(outputFile(run, step(null, 'running'), 'stdout')).toMatch(/a\.stdout$/);
    expect(outputFile(run, step(null, 'skipped'), 'stdout')).toBeUndefined();
  });

  it('a running step: the newest execution with output, even when an earlier one left no file', () => {
    const runDir = join(tempDir(), 'run');
    mkdirSync(runDir);
    const run = { runDir } as RunRecord;
    const running = { id: 'a', host: null, stdoutFile: null, status: 'running' } as unknown as StepRecord;
    expect(outputFile(run, running, 'stdout')).toBeUndefined();
    // Execution 1 printed nothing (no file); 2 and 10 did; `ab.3.stdout` is another step's.
    for (const f of ['a.2.stdout', 'a.10.stdout', 'ab.3.stdout', 'a.x.stdout'])
      writeFileSync(join(runDir, f), 'x');
    expect(outputFile(run, running, 'stdout')).toMatch(/\/a\.10\.stdout$/);
    expect(outputFile(run, running, 'stderr')).toBeUndefined();
  });
});

describe.each(SOURCES)('searchOutput in %s', (_, file) => {
  it('finds lines case-insensitively, ignoring colour codes, with their byte offsets and numbers', async () => {
    const f = file('first\nthe \x1b[31mNeedle\x1b[0m here\nnothing\nneedle again\n');
    const r = await searchOutput(f, 'needle', 10);
    expect(r).toEqual({
      truncated: false,
      matches: [
        { offset: 6, line: 2, text: 'the Needle here' },
        { offset: 39, line: 4, text: 'needle again' },
      ],
    });
  });

  it('streams a file of many chunks and stops at the match limit', async () => {
    const line = `${'y'.repeat(99)}\n`;
    const f = file(Buffer.from(`${line.repeat(20_000)}match at the end\n${'match\n'.repeat(10)}`));
    const r = await searchOutput(f, 'MATCH', 3);
    expect(r.truncated).toBe(true);
    expect(r.matches[0]).toEqual({ offset: 2_000_000, line: 20_001, text: 'match at the end' });
    expect(r.matches).toHaveLength(3);
  });
});
