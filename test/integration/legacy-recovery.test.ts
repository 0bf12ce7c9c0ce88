import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * S15 `--auto-recovery` through the built TASKER-style command line: task 0 logs each run of it;
 * task 1 fails until a marker file exists.
 */
function job(): { file: string; dir: string; log: string; mark: string } {
  const dir = tempDir();
  const log = join(dir, 'ran.log');
  const mark = join(dir, 'mark');
  const file = join(dir, 'jobs.txt');
  writeFileSync(
    file,
    [
      'WHO=$RECOVERY_WHO',
      'task=0',
      'hostname=localhost',
      'command=sh',
      `arguments=-c "echo t0 @WHO@ >> ${log}"`,
      'task=1',
      'hostname=localhost',
      'command=sh',
      `arguments=-c "echo t1 @WHO@ >> ${log}; test -e ${mark}"`,
      '',
    ].join('\n'),
  );
  return { file, dir, log, mark };
}
const lines = (path: string) => readFileSync(path, 'utf8').trim().split('\n');

describe.concurrent('--auto-recovery (built CLI)', () => {
  it('resumes a failed run at the failed task, with earlier results kept; a success deletes the state', async () => {
    const { file, dir, log, mark } = job();
    const home = { TASKER_HOME: join(dir, 'home'), RECOVERY_WHO: 'alice' };
    expect((await runCli(['-r', file, '--auto-recovery', '--log-level=ERROR'], home)).code).toBe(1);
    expect(lines(log)).toEqual(['t0 alice', 't1 alice']);
    const info = await runCli([file, '--show-recovery-info'], home);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('"runId"');
    writeFileSync(mark, '');
    const resumed = await runCli(['-r', file, '--auto-recovery', '--log-level=ERROR'], home);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('resuming the failed run');
    expect(lines(log)).toEqual(['t0 alice', 't1 alice', 't1 alice']);
    // The state is gone: the next run starts over.
    expect((await runCli(['-r', file, '--auto-recovery', '--log-level=ERROR'], home)).code).toBe(0);
    expect(lines(log).slice(3)).toEqual(['t0 alice', 't1 alice']);
  });

  it('exit 12 when the file changed since the failed run; without --auto-recovery it starts over', async () => {
    const { file, dir, log } = job();
    const home = { TASKER_HOME: join(dir, 'home'), RECOVERY_WHO: 'bob' };
    expect((await runCli(['-r', file, '--auto-recovery', '--log-level=ERROR'], home)).code).toBe(1);
    appendFileSync(file, '# edited\n');
    const r = await runCli(['-r', file, '--auto-recovery', '--log-level=ERROR'], home);
    expect(r.code).toBe(12);
    expect(r.stderr).toContain('changed');
    expect((await runCli(['-r', file, '--log-level=ERROR'], home)).code).toBe(1);
    expect(lines(log).filter((l) => l.startsWith('t0'))).toHaveLength(2);
  });

  it('an environment variable behind a global that changed: 12, or the saved value with -y', async () => {
    const { file, dir, log, mark } = job();
    const home = { TASKER_HOME: join(dir, 'home') };
    expect(
      (await runCli(['-r', file, '--auto-recovery', '--log-level=ERROR'], { ...home, RECOVERY_WHO: 'carol' }))
        .code,
    ).toBe(1);
    writeFileSync(mark, '');
    const changed = { ...home, RECOVERY_WHO: 'mallory' };
    const refused = await runCli(['-r', file, '--auto-recovery'], changed);
    expect(refused.code).toBe(12);
    expect(refused.stderr).toContain('$RECOVERY_WHO');
    const yes = await runCli(['-r', file, '--auto-recovery', '-y', '--log-level=ERROR'], changed);
    expect(yes.code, yes.stderr).toBe(0);
    expect(lines(log).at(-1)).toBe('t1 carol');
    expect(existsSync(join(dir, 'home', 'recovery'))).toBe(true);
  });
});
