import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMasker, openStepOutput } from '../../src/output/index.js';
import type { StepOutputOptions } from '../../src/output/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tasker-output-'));
  // The runner checks (and creates) the run directory once, before the first step.
  mkdirSync(join(dir, 'run'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open(extra: Partial<StepOutputOptions> = {}) {
  const lines: [string, string][] = [];
  const output = openStepOutput({
    dir: join(dir, 'run'),
    baseName: 'step',
    masker: createMasker([]),
    captureLimitBytes: 1024 * 1024,
    tailLines: 20,
    onLine: (stream, line) => lines.push([stream, line]),
    ...extra,
  });
  return { ...output, lines };
}

describe('openStepOutput', () => {
  it('writes each stream to its own file and captures both', async () => {
    const out = open({ baseName: 'build@web1.2' });
    await out.sink.stdout(Buffer.from('hello\nwor'));
    await out.sink.stderr(Buffer.from('warn\n'));
    await out.sink.stdout(Buffer.from('ld\n'));
    const r = await out.finish();
    expect(r.stdoutFile).toBe(join(dir, 'run', 'build@web1.2.stdout'));
    expect(isAbsolute(r.stderrFile)).toBe(true);
    expect(readFileSync(r.stdoutFile, 'utf8')).toBe('hello\nworld\n');
    expect(readFileSync(r.stderrFile, 'utf8')).toBe('warn\n');
    expect([r.stdout, r.stderr, r.stdoutBytes, r.stderrBytes, r.truncated]).toEqual([
      'hello\nworld',
      'warn',
      12,
      5,
      false,
    ]);
    expect(out.lines).toEqual([
      ['stdout', 'hello'],
      ['stderr', 'warn'],
      ['stdout', 'world'],
    ]);
  });

  it('keeps an unsafe base name inside the run directory', async () => {
    const r = await open({ baseName: '../../etc/passwd' }).finish();
    expect(dirname(r.stdoutFile)).toBe(join(dir, 'run'));
  });

  it('masks secrets in files, captures and lines, even when split across chunks', async () => {
    const out = open({ masker: createMasker(['s3cr3t-value']) });
    await out.sink.stdout(Buffer.from('token=s3cr'));
    await out.sink.stdout(Buffer.from('3t-val'));
    await out.sink.stdout(Buffer.from('ue end\npartial s3cr3t-value'));
    await out.sink.stderr(Buffer.from('s3cr3t-value\n'));
    const r = await out.finish();
    expect(readFileSync(r.stdoutFile, 'utf8')).toBe('token=*** end\npartial ***');
    expect(r.stdout).toBe('token=*** end\npartial ***');
    expect(r.stderrTail).toEqual(['***']);
    expect(out.lines.filter(([s]) => s === 'stdout').map(([, l]) => l)).toEqual([
      'token=*** end',
      'partial ***',
    ]);
  });

  it('bounds the capture and flags truncation while the file stays complete', async () => {
    const out = open({ captureLimitBytes: 10 });
    await out.sink.stdout(Buffer.from('0123456789abcdef\n'));
    const r = await out.finish();
    // Head and tail, 5 bytes each; with no line end inside them, the raw cuts.
    expect(r.stdout.split('\n')).toEqual([
      '01234',
      '[tasker: 7 bytes of this output are not kept for expressions; the output file has them all]',
      'cdef',
    ]);
    expect(r.truncated).toBe(true);
    expect(r.stdoutTruncated).toBe(true);
    expect(r.stderrTruncated).toBe(false);
    expect(r.stdoutBytes).toBe(17);
    expect(statSync(r.stdoutFile).size).toBe(17);
  });

  it('keeps the last tailLines stderr lines', async () => {
    const out = open({ tailLines: 2, onLine: undefined });
    await out.sink.stderr(Buffer.from('1\n2\n3\n4'));
    expect((await out.finish()).stderrTail).toEqual(['3', '4']);
  });

  it('returns the same result from repeated finish calls and ignores later writes', async () => {
    const out = open();
    await out.sink.stdout(Buffer.from('a'));
    const first = out.finish();
    await out.sink.stdout(Buffer.from('b'));
    expect(await out.finish()).toBe(await first);
    expect((await first).stdout).toBe('a');
  });

  it('rejects finish naming the file when the run directory is not there', async () => {
    const file = join(dir, 'file');
    writeFileSync(file, '');
    const out = open({ dir: join(file, 'sub') });
    await out.sink.stdout(Buffer.from('x\n'));
    await expect(out.finish()).rejects.toThrow(
      /cannot create output file .*file\/sub\/step\.stdout: .*ENOTDIR/,
    );
  });

  it.skipIf(!existsSync('/dev/full'))('rejects finish naming the file when a write fails', async () => {
    symlinkSync('/dev/full', join(dir, 'run', 'step.stdout'));
    const out = open();
    await out.sink.stdout(Buffer.from('x'.repeat(100_000)));
    await expect(out.finish()).rejects.toThrow(join(dir, 'run', 'step.stdout'));
  });

  it('applies back-pressure and keeps memory bounded while streaming 300 MB', async () => {
    const out = open({ onLine: undefined, masker: createMasker(['never-present']) });
    const pattern = Buffer.alloc(1024 * 1024, 'x\n');
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let waited = 0;
    for (let i = 0; i < 300; i++) {
      // A fresh buffer each time, as a child process delivers: queued writes would really cost memory.
      const pending = out.sink.stdout(Buffer.from(pattern));
      if (pending !== undefined) {
        waited++;
        await pending;
      }
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    const r = await out.finish();
    expect(r.stdoutBytes).toBe(300 * 1024 * 1024);
    expect(statSync(r.stdoutFile).size).toBe(300 * 1024 * 1024);
    expect(waited).toBeGreaterThan(0);
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  });
});
