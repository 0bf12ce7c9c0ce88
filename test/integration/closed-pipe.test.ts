import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, repoRoot, runCli, tempDir } from '../helpers/cli.js';

/** Runs `tasker ARGS | READER` in a real shell; returns tasker's own exit status and stderr. */
function piped(args: string, reader: string, home: string, cwd: string): { code: number; stderr: string } {
  const errFile = join(cwd, `err-${Math.random().toString(36).slice(2)}.txt`);
  const script = `"${process.execPath}" "${cliPath}" ${args} 2>"${errFile}" | ${reader} >/dev/null; echo "\${PIPESTATUS[0]}"`;
  const r = spawnSync('bash', ['-c', script], {
    cwd,
    env: { ...process.env, TASKER_HOME: home, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const stderr = existsSync(errFile) ? String(spawnSync('cat', [errFile], { encoding: 'utf8' }).stdout) : '';
  return { code: Number(r.stdout.trim()), stderr };
}

function workflow(dir: string, failAt: boolean): string {
  const file = join(dir, failAt ? 'fails.yaml' : 'big.yaml');
  writeFileSync(
    file,
    [
      'version: 1',
      `name: ${failAt ? 'fails' : 'big'}`,
      'steps:',
      '  - id: chatty',
      // ~3 MB: far more than a pipe holds, so writes go on long after `head -1` has gone.
      '    run: seq 1 400000',
      '  - id: after',
      `    run: touch after-ran && echo after && ${failAt ? 'exit 7' : 'true'}`,
      'finally:',
      '  - id: tidy',
      '    run: touch finally-ran',
      '',
    ].join('\n'),
  );
  return file;
}

describe('a closed pipe on stdout or stderr', () => {
  it('never stops a run: later steps and finally run, history records it, the exit code is the run’s', async () => {
    const dir = tempDir();
    const home = tempDir('tasker-home-');
    const ok = piped(`run --output plain ${workflow(dir, false)}`, 'head -1', home, dir);
    expect(ok.stderr).not.toMatch(/EPIPE|Error/);
    expect(ok.code).toBe(0);
    expect(existsSync(join(dir, 'after-ran'))).toBe(true);
    expect(existsSync(join(dir, 'finally-ran'))).toBe(true);

    // stderr closed too (2>&1 into head): the failing step is still a failure, exit 1.
    const failDir = tempDir();
    const script = `"${process.execPath}" "${cliPath}" run --output pretty ${workflow(failDir, true)} 2>&1 | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const failed = spawnSync('bash', ['-c', script], {
      cwd: failDir,
      env: { ...process.env, TASKER_HOME: home, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(Number(failed.stdout.trim())).toBe(1);
    expect(existsSync(join(failDir, 'finally-ran'))).toBe(true);

    const history = await runCli(['history', '--json'], { TASKER_HOME: home });
    const runs = JSON.parse(history.stdout) as { status: string; exitCode: number }[];
    expect(runs.map((r) => [r.status, r.exitCode])).toEqual([
      ['failed', 1],
      ['ok', 0],
    ]);
  });

  it('stops read-only commands quietly with 0', async () => {
    const dir = tempDir();
    const home = tempDir('tasker-home-');
    const file = workflow(dir, false);
    expect((await runCli(['run', file], { TASKER_HOME: home })).code).toBe(0);
    // `head -1` on ~3 MB of step output; `head -n 0` closes at once, before the small outputs are written.
    const cases: [string, string][] = [
      ['logs last chatty', 'head -1'],
      ['logs last', 'head -1'],
      ['history', 'head -n 0'],
      ['show last', 'head -n 0'],
      ['prune --dry-run --keep 1', 'head -n 0'],
      [`plan ${file}`, 'head -n 0'],
      [`validate --format json ${file}`, 'head -n 0'],
      ['schema', 'head -1'],
      [`convert ${join(repoRoot, 'fixtures/tasker/valid/condition-run.txt')}`, 'head -n 0'],
    ];
    for (const [args, reader] of cases) {
      const r = piped(args, reader, home, dir);
      expect({ args, code: r.code, crashed: /EPIPE|Error|\n\s+at /.test(r.stderr) }).toEqual({
        args,
        code: 0,
        crashed: false,
      });
    }
  });
});
