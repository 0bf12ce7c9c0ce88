import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMasker, openStepOutput, type StepOutputOptions } from '../../src/output/index.js';

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

// The file writer creates files at open but starts a WriteStream only on a stream's first byte.
describe('step output files', () => {
  it('creates both files at open, before any output, private to the user', () => {
    void openStepOutput(options());
    expect(readdirSync(dir).sort()).toEqual(['step.stderr', 'step.stdout']);
    expect(statSync(join(dir, 'step.stdout')).mode & 0o777).toBe(0o600);
  });

  it('leaves empty files for a step that printed nothing', async () => {
    const r = await openStepOutput(options()).finish();
    expect([statSync(r.stdoutFile).size, statSync(r.stderrFile).size]).toEqual([0, 0]);
    expect([r.stdoutBytes, r.stderrBytes, r.stdout, r.stderr]).toEqual([0, 0, '', '']);
  });

  it('writes one stream and leaves the other empty', async () => {
    const out = openStepOutput(options());
    await out.sink.stderr(Buffer.from('only stderr\n'));
    const r = await out.finish();
    expect(readFileSync(r.stderrFile, 'utf8')).toBe('only stderr\n');
    expect(statSync(r.stdoutFile).size).toBe(0);
  });

  it('many steps in a row leave every file complete', async () => {
    for (let i = 0; i < 200; i++) {
      const out = openStepOutput(options({ baseName: `s${i}` }));
      if (i % 2 === 0) await out.sink.stdout(Buffer.from(`${i}\n`));
      await out.finish();
    }
    expect(readdirSync(dir)).toHaveLength(400);
    expect(readFileSync(join(dir, 's198.stdout'), 'utf8')).toBe('198\n');
    expect(statSync(join(dir, 's199.stdout')).size).toBe(0);
  });
});
