import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tailLines } from '../../src/api/history.js';
import {
  checkOutputDir,
  createMasker,
  openStepOutput,
  readCapture,
  type StepOutputOptions,
} from '../../src/output/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tasker-output-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = (extra: Partial<StepOutputOptions> = {}): StepOutputOptions => ({
  dir,
  baseName: 'step',
  masker: createMasker([]),
  captureLimitBytes: 1024,
  tailLines: 5,
  ...extra,
});

// A stream's file is created on its first byte: a stream that stays empty leaves no file.
describe('step output files', () => {
  it('creates nothing at open, before any output', () => {
    void openStepOutput(options());
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves no file for a step that printed nothing; readers see empty output', async () => {
    const r = await openStepOutput(options()).finish();
    expect(readdirSync(dir)).toEqual([]);
    expect([r.stdoutBytes, r.stderrBytes, r.stdout, r.stderr]).toEqual([0, 0, '', '']);
    expect(r.stdoutFile).toBe(join(dir, 'step.stdout'));
    expect(readCapture(r.stdoutFile, 1024)).toEqual({ text: '', truncated: false, bytes: 0 });
    expect(tailLines(r.stderrFile, 20)).toEqual([]);
  });

  it('writes one stream, private to the user, and leaves no file for the other', async () => {
    const out = openStepOutput(options());
    await out.sink.stderr(Buffer.from('only stderr\n'));
    const r = await out.finish();
    expect(readdirSync(dir)).toEqual(['step.stderr']);
    expect(readFileSync(r.stderrFile, 'utf8')).toBe('only stderr\n');
    expect(statSync(r.stderrFile).mode & 0o777).toBe(0o600);
  });

  it('a stream masked down to nothing still has its file (the bytes were real)', async () => {
    const out = openStepOutput(options({ masker: createMasker(['hunter22']) }));
    await out.sink.stdout(Buffer.from('hunter22'));
    const r = await out.finish();
    expect(readFileSync(r.stdoutFile, 'utf8')).toBe('***');
  });

  it('createEmptyFiles: both files exist, empty, when nothing was printed', async () => {
    const r = await openStepOutput(options({ createEmptyFiles: true })).finish();
    expect(readdirSync(dir).sort()).toEqual(['step.stderr', 'step.stdout']);
    expect([statSync(r.stdoutFile).size, statSync(r.stderrFile).size]).toEqual([0, 0]);
  });

  it('many steps in a row leave every non-empty file complete and no empty one', async () => {
    for (let i = 0; i < 200; i++) {
      const out = openStepOutput(options({ baseName: `s${i}` }));
      if (i % 2 === 0) await out.sink.stdout(Buffer.from(`${i}\n`.repeat(i + 1)));
      await out.finish();
    }
    expect(readdirSync(dir)).toHaveLength(100);
    expect(readFileSync(join(dir, 's198.stdout'), 'utf8')).toBe('198\n'.repeat(199));
    expect(readdirSync(dir).filter((f) => f.startsWith('s199.'))).toEqual([]);
  });

  it('a run directory made read-only after the check: finish names the file, nothing thrown at open', async () => {
    if (process.getuid?.() === 0) return; // root writes anyway; the tmpfs fault tests cover root
    chmodSync(dir, 0o500);
    const out = openStepOutput(options());
    await out.sink.stdout(Buffer.from('x\n'));
    await expect(out.finish()).rejects.toThrow(/cannot create output file .*step\.stdout: .*EACCES/);
    chmodSync(dir, 0o700);
  });
});

describe('checkOutputDir (once, before the first step)', () => {
  it('creates a missing run directory, private', () => {
    const run = join(dir, 'a', 'run');
    expect(checkOutputDir(run)).toBeUndefined();
    expect(statSync(run).mode & 0o777).toBe(0o700);
  });

  it('names the directory and the fix when it cannot be created', () => {
    const file = join(dir, 'file');
    writeFileSync(file, '');
    expect(checkOutputDir(join(file, 'run'))).toMatch(
      /cannot write to the run directory .*file\/run \(ENOTDIR\); check/,
    );
  });
});
