import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';

/**
 * `tasker convert --check` against a reference TASKER. The original TASKER cannot be installed
 * here, so fixtures/bin/fake-tasker.mjs stands in for its command line and JSON output: it reports
 * what TASKER 2.2 does for the file (per the reference), and the test checks that tasker agrees,
 * and that a disagreement is reported.
 */
const fakeTasker = join(repoRoot, 'fixtures/bin/fake-tasker.mjs');

/** A block with retry_count whose subtask fails once, then succeeds: TASKER retries it (S9). */
function flakyBlock(): string {
  const dir = tempDir();
  const path = join(dir, 'flaky.txt');
  const mark = join(dir, 'mark');
  writeFileSync(
    path,
    `task=0\ntype=parallel\ntasks=10\nretry_count=2\nretry_delay=0\ntask=10\nhostname=localhost\ncommand=sh\narguments=-c "test -e ${mark} || { touch ${mark}; exit 1; }"\n`,
  );
  return path;
}

/** What TASKER 2.2 reports for flakyBlock(): task 10 succeeded on its retry, the block too, exit 0. */
const TASKER_SAYS = JSON.stringify({
  '0': { exit_code: 0, stdout: 'Parallel execution: 1/1 successful', stderr: '', success: true },
  '10': { exit_code: 0, stdout: '', stderr: '', success: true },
});

describe.concurrent('tasker convert --check (built CLI)', () => {
  it('with --tasker: runs TASKER on the task file (-r, --output-json) and agrees on results and exit code', async () => {
    const file = flakyBlock();
    const argvLog = join(tempDir(), 'argv');
    const r = await runCli(
      ['convert', file, '-o', join(tempDir(), 'out.yaml'), '--check', '--tasker', fakeTasker],
      {
        FAKE_TASKER_RESULTS: TASKER_SAYS,
        FAKE_TASKER_EXIT: '0',
        FAKE_TASKER_ARGV_FILE: argvLog,
      },
    );
    expect(r.stderr).toContain('and tasker agree: same per-task results and exit code 0');
    expect(r.code).toBe(0);
    const argv = JSON.parse(readFileSync(argvLog, 'utf8').trim()) as string[];
    expect(argv[0]).toBe(file);
    expect(argv).toContain('-r');
    expect(argv.some((a) => a.startsWith('--output-json='))).toBe(true);
  });

  it('reports a mismatch per task and in the exit code (exit 1), e.g. a dropped block retry', async () => {
    // What a translation that drops the block's retry would produce is what TASKER is made to say here.
    const r = await runCli(['convert', flakyBlock(), '--check', '--tasker', fakeTasker], {
      FAKE_TASKER_RESULTS: JSON.stringify({ '10': { exit_code: 1, success: false } }),
      FAKE_TASKER_EXIT: '1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('differ');
    expect(r.stderr).toContain('task 10: TASKER exit 1 failure, tasker exit 0 success');
    expect(r.stderr).toContain('exit code: TASKER 1, tasker 0');
  });

  it('$TASKER_BIN names TASKER too; without its JSON (exit 10) only the exit code is compared', async () => {
    const r = await runCli(['convert', flakyBlock(), '--check'], {
      TASKER_BIN: fakeTasker,
      FAKE_TASKER_EXIT: '10',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('exit code: TASKER 10, tasker 0');
  });

  it('a TASKER that cannot start is exit 2, not a pass', async () => {
    const r = await runCli(['convert', flakyBlock(), '--check', '--tasker', '/nonexistent/tasker.py']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/tasker.py');
  });

  it('without TASKER it says that only tasker was compared', async () => {
    const r = await runCli(['convert', flakyBlock(), '--check'], { TASKER_BIN: '' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('TASKER not found (--tasker PATH or $TASKER_BIN): only tasker was compared');
  });
});
