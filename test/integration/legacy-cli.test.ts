import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';

const valid = (name: string) => join(repoRoot, 'fixtures/tasker/valid', `${name}.txt`);
const invalid = (name: string) => join(repoRoot, 'fixtures/tasker/invalid', `${name}.txt`);

describe('TASKER-style command line (built CLI)', () => {
  it('is a dry run without -r: the failing task does not run', async () => {
    const r = await runCli([valid('seq-fail-stops')]);
    expect(r.code).toBe(0);
  });

  it('a YAML workflow without -r is the same dry run as `run --dry-run`, with nothing else on stderr', async () => {
    const file = join(tempDir(), 'wf.yaml');
    // Its list items (`- id:`) start with a dash: they were read as TASKER header flags, each one
    // printing "ignoring unknown argument '-'".
    writeFileSync(file, 'version: 1\nsteps:\n  - id: one\n    run: echo one\n  - id: two\n    run: exit 3\n');
    const legacy = await runCli([file]);
    expect({ code: legacy.code, stderr: legacy.stderr }).toEqual({ code: 0, stderr: '' });
    const dry = await runCli(['run', '--dry-run', '--output', 'plain', file]);
    const strip = (t: string) => t.replace(/^\S+ /gm, '').replace(/run=\S+|dir=\S+/g, '');
    expect(strip(legacy.stdout)).toBe(strip(dry.stdout));
    expect(legacy.stdout).toMatch(/would-run id=two/);
    const real = await runCli(['-r', file]);
    expect({ code: real.code, stderr: real.stderr }).toEqual({ code: 1, stderr: '' });
  });

  it('-r runs for real and exits with the failing task code', async () => {
    const r = await runCli(['-r', valid('seq-fail-stops'), '--log-level=ERROR']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });

  it('exits 10 when a parallel block policy fails, and writes --output-json with task ids in order', async () => {
    const out = join(tempDir(), 'report.json');
    const r = await runCli(['--run', valid('on-failure-jump'), '--output-json', out, '--log-level', 'WARN']);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { steps: { id: string; status: string }[] };
    expect(report.steps.filter((s) => s.status !== 'skipped').map((s) => s.id)).toEqual(['t0', 't2']);
    const r10 = await runCli(['-r', valid('parallel-one-fails-10'), '--log-level=ERROR']);
    expect(r10.code).toBe(10);
  });

  it('--validate-only exits 0 for a valid file and 20 for an invalid one; 24 without tasks', async () => {
    expect((await runCli([valid('decision-pass'), '--validate-only'])).code).toBe(0);
    const bad = await runCli([invalid('backward-jump'), '--validate-only']);
    expect(bad.code).toBe(20);
    expect(bad.stderr).toContain('backward-jump.txt:8:');
    expect((await runCli([invalid('no-tasks')])).code).toBe(24);
  });

  it('names flags that have no effect, and runs anyway; --start-from skips earlier tasks', async () => {
    const r = await runCli([
      '-r',
      valid('seq-all-ok'),
      '--no-task-backup',
      '--start-from=2',
      '--log-level=ERROR',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('--no-task-backup has no effect');
    expect((await runCli(['-r', valid('seq-all-ok'), '--start-from', '9'])).code).toBe(12);
  });

  it('-p appends a project summary line under --log-dir', async () => {
    const dir = tempDir();
    const r = await runCli([
      '-r',
      valid('seq-exit-code-42'),
      '-p',
      'nightly',
      '-l',
      dir,
      '--log-level=ERROR',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(42);
    const lines = readFileSync(join(dir, 'project', 'nightly.summary'), 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]!.startsWith('#Timestamp\tStatus\tExit_Code')).toBe(true);
    expect(lines[1]!.split('\t').slice(1, 5)).toEqual(['FAILURE', '42', 'seq-exit-code-42.txt', '0']);
  });

  it('--alert-on-failure runs the script with TASKER_* variables', async () => {
    const dir = tempDir();
    const script = join(dir, 'alert.sh');
    writeFileSync(script, `#!/bin/sh\necho "$TASKER_EXIT_CODE $TASKER_FAILED_TASK" > ${dir}/alerted\n`, {
      mode: 0o755,
    });
    const r = await runCli([
      '-r',
      valid('seq-fail-stops'),
      `--alert-on-failure=${script}`,
      '--log-level=ERROR',
    ]);
    expect(r.code).toBe(3);
    expect(readFileSync(join(dir, 'alerted'), 'utf8').trim()).toBe('3 1');
  });
});

describe('tasker run / validate / convert on task files (built CLI)', () => {
  it('run and validate detect the format by content', async () => {
    expect((await runCli(['run', valid('parallel-one-fails-10'), '-q'])).code).toBe(10);
    expect((await runCli(['validate', valid('conditional-true')])).code).toBe(0);
    expect((await runCli(['validate', invalid('inline-comment')])).code).toBe(2);
  });

  it('convert prints YAML that validates, keeps comments, and --check compares both runs', async () => {
    const dir = tempDir();
    const out = join(dir, 'wf.yaml');
    const r = await runCli(['convert', valid('on-both-success'), '-o', out, '--check']);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('# on_success and on_failure: success jump');
    expect((parse(text) as { version: number }).version).toBe(1);
    expect((await runCli(['validate', out])).code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });
});
