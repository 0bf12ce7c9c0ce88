import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { collect, isAlive, runCli, startCli, waitForOutput } from '../helpers/cli.js';
import { history, show, stepOf, workspace } from './store-helpers.js';

const WF = `version: 1
name: nightly
steps:
  - id: first
    run: echo first-output
  - id: second
    run: echo "second saw \${{ steps.first.stdout }}"; exit \${CODE:-0}
`;

describe('history after success, failure, timeout and interrupt', () => {
  it('records each outcome with its status, exit code and failed step', async () => {
    const w = workspace(WF);
    expect((await runCli(['run', w.file], w.env)).code).toBe(0);
    expect((await runCli(['run', w.file], { ...w.env, CODE: '7' })).code).toBe(1);
    const runs = await history(w.home);
    expect(runs.map((r) => [r.status, r.exitCode, r.failedStep])).toEqual([
      ['failed', 1, 'second'],
      ['ok', 0, null],
    ]);
    const failed = await show(w.home);
    expect(stepOf(failed, 'second')).toMatchObject({ status: 'failed', exitCode: 7 });
    expect(stepOf(failed, 'first')).toMatchObject({ status: 'ok', exitCode: 0 });
    expect((await history(w.home, '--status', 'ok')).length).toBe(1);
    expect((await history(w.home, '--workflow', 'nightly', '--limit', '1')).length).toBe(1);
    expect((await history(w.home, '--workflow', 'other')).length).toBe(0);
  });

  it('records a timeout as timed-out, exit 4', async () => {
    const w = workspace(
      `version: 1\nname: slow\nsteps:\n  - id: slow\n    run: sleep 30\n    timeout: 300ms\n`,
    );
    expect((await runCli(['run', w.file], w.env)).code).toBe(4);
    const s = await show(w.home);
    expect(s.run).toMatchObject({ status: 'timed-out', exitCode: 4, failedStep: 'slow' });
    expect(stepOf(s, 'slow')?.status).toBe('timed-out');
  });

  it('records SIGINT as interrupted, exit 130', async () => {
    const w = workspace(`version: 1\nname: long\nsteps:\n  - id: wait\n    run: echo waiting; sleep 30\n`);
    const child = startCli(['run', '--output', 'plain', w.file], w.env);
    const done = collect(child);
    await waitForOutput(child, (t) => t.includes('| waiting'));
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
    expect((await history(w.home))[0]).toMatchObject({ status: 'interrupted', exitCode: 130 });
    // The lock went with the run: a new run starts at once.
    expect(readdirSync(join(w.home, 'locks'))).toEqual([]);
  });
});

describe('history names steps as the user does', () => {
  // Anonymous steps have internal path ids (steps.1.then.1, finally.0); no reader may print them.
  const ANON = `version: 1
name: labels
steps:
  - run: "true"
  - if: "1 == 1"
    then:
      - run: "true"
      - run: echo anon-failed >&2; exit 3
finally:
  - run: echo bye
`;
  const INTERNAL = /\b(steps|finally)\.\d/;

  it('history, show and their JSON give the failed step as `steps[2] then[2]`, never `steps.1.then.1`', async () => {
    const w = workspace(ANON);
    expect((await runCli(['run', w.file], w.env)).code).toBe(1);
    const table = await runCli(['history'], w.env);
    expect(table.stdout).toMatch(/FAILED STEP\n.*steps\[2\] then\[2\]\n?$/s);
    const text = await runCli(['show', 'last'], w.env);
    expect(text.stdout).toMatch(/^failed: +steps\[2\] then\[2\]$/m);
    for (const row of ['steps[1] ', 'steps[2] then[1] ', 'steps[2] then[2] ', 'finally[1] '])
      expect(text.stdout).toContain(`\n${row}`);
    expect(text.stdout).toMatch(
      /--- steps\[2\] then\[2\] \(failed\): last 1 lines of stderr ---\nanon-failed/,
    );
    expect(text.stdout + table.stdout).not.toMatch(INTERNAL);
    // JSON keeps the stable id for scripts and adds the label.
    const [run] = await history(w.home);
    expect(run).toMatchObject({ failedStep: 'steps.1.then.1', failedLabel: 'steps[2] then[2]' });
    expect((await show(w.home)).run).toMatchObject({ failedLabel: 'steps[2] then[2]' });
    // What the output names, `logs` takes back (the id still works for scripts).
    for (const name of ['steps[2] then[2]', 'steps.1.then.1'])
      expect(await runCli(['logs', 'last', name], w.env)).toMatchObject({ code: 0, stderr: 'anon-failed\n' });
    const unknown = await runCli(['logs', 'last', 'nope'], w.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/steps with output: .*steps\[2\] then\[2\], finally\[1\]\n/);
  });

  it("an id wins over a label in `logs RUN STEP`; validate warns of a name that is another step's id", async () => {
    const w = workspace(
      `version: 1\nname: amb\nsteps:\n  - id: build\n    run: echo from-id\n  - name: build\n    run: echo from-name\n  - run: exit 3\n`,
    );
    const v = await runCli(['validate', w.file], w.env);
    expect(v.code).toBe(0);
    expect(v.stdout + v.stderr).toMatch(
      /6:11: warning name-shadows-id: step name "build" is the id of the step on line 4/,
    );
    expect((await runCli(['run', w.file], w.env)).code).toBe(1);
    expect(await runCli(['logs', 'last', 'build'], w.env)).toMatchObject({ code: 0, stdout: 'from-id\n' });
    expect(await runCli(['logs', 'last', 'steps.1'], w.env)).toMatchObject({
      code: 0,
      stdout: 'from-name\n',
    });
  });

  it('an anonymous step with a name shows its name', async () => {
    const w = workspace(`version: 1\nname: named\nsteps:\n  - name: Migrate the database\n    run: exit 2\n`);
    expect((await runCli(['run', w.file], w.env)).code).toBe(1);
    expect((await history(w.home))[0]?.failedLabel).toBe('Migrate the database');
    expect((await runCli(['show', 'last'], w.env)).stdout).toMatch(/^failed: +Migrate the database$/m);
  });
});

describe('kill -9 of tasker mid-run', () => {
  it('leaves finished steps recorded; the next command shows the run interrupted; the file is intact', async () => {
    const w = workspace(`version: 1
name: crash
steps:
  - id: done-before
    run: echo finished
  - id: hangs
    run: echo $$ > ${'${{ env.PIDFILE }}'}; echo hanging; exec sleep 30
`);
    const pidFile = join(w.dir, 'step.pid');
    const child = startCli(['run', '--output', 'plain', w.file], { ...w.env, PIDFILE: pidFile });
    const done = collect(child);
    await waitForOutput(child, (t) => t.includes('| hanging'));
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const stepPid = Number(readFileSync(pidFile, 'utf8'));
    if (isAlive(stepPid)) process.kill(stepPid, 'SIGKILL');

    const runs = await history(w.home);
    expect(runs[0]).toMatchObject({ status: 'interrupted', exitCode: null });
    const s = await show(w.home);
    expect(stepOf(s, 'done-before')).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(stepOf(s, 'hangs')?.status).toBe('cancelled');
    const db = new Database(join(w.home, 'history.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});

describe('show, logs and prune', () => {
  it("show prints the failing output tail; logs prints the transcript and a step's files; unknown runs exit 2", async () => {
    const w = workspace(
      `version: 1\nname: tail\nsteps:\n  - id: boom\n    run: echo out-line; echo err-line >&2; exit 3\n`,
    );
    await runCli(['run', w.file], w.env);
    const shown = await runCli(['show', 'last'], w.env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/boom \(failed\): last 1 lines of stderr ---\nerr-line/);
    const transcript = await runCli(['logs', 'last'], w.env);
    expect(transcript.stdout).toMatch(/run-end status=failed exit=1/);
    const step = await runCli(['logs', 'last', 'boom'], w.env);
    expect([step.code, step.stdout, step.stderr]).toEqual([0, 'out-line\n', 'err-line\n']);
    expect((await runCli(['logs', 'last', 'nope'], w.env)).code).toBe(2);
    expect((await runCli(['show', 'no-such-run'], w.env)).code).toBe(2);
  });

  it('logs --follow prints a run in progress until it ends', async () => {
    const w = workspace(
      `version: 1\nname: follow\nsteps:\n  - id: a\n    run: echo begin; while [ ! -f "$GO" ]; do sleep 0.05; done; echo finish\n`,
    );
    const go = join(w.dir, 'go');
    const runner = startCli(['run', '--output', 'plain', w.file], { ...w.env, GO: go });
    const ran = collect(runner);
    await waitForOutput(runner, (t) => t.includes('| begin'));
    const follower = startCli(['logs', 'last', '--follow'], w.env);
    const followed = collect(follower);
    await waitForOutput(follower, (t) => t.includes('| begin'));
    writeFileSync(go, '');
    expect((await ran).code).toBe(0);
    const f = await followed;
    expect(f.code).toBe(0);
    expect(f.stdout).toMatch(/finish[\s\S]*run-end status=ok/);
  });

  it('prune --keep deletes older runs and their run directories', async () => {
    const w = workspace(`version: 1\nname: p\nsteps:\n  - run: "true"\n`);
    for (let i = 0; i < 3; i++) await runCli(['run', w.file], w.env);
    const before = await history(w.home);
    const r = await runCli(['prune', '--keep', '1'], w.env);
    expect(r.code).toBe(0);
    const after = await history(w.home);
    expect(after.map((x) => x.id)).toEqual([before[0]!.id]);
    expect(existsSync(before[2]!.runDir)).toBe(false);
    expect(existsSync(before[0]!.runDir)).toBe(true);
    expect((await runCli(['prune'], w.env)).code).toBe(2);
  });

  it('applies automatic retention after each run (TASKER_KEEP_RUNS)', async () => {
    const w = workspace(`version: 1\nname: p\nsteps:\n  - run: "true"\n`);
    for (let i = 0; i < 3; i++) await runCli(['run', w.file], { ...w.env, TASKER_KEEP_RUNS: '2' });
    expect(await history(w.home)).toHaveLength(2);
  });

  it('writes the plain transcript to run.log even with --quiet', async () => {
    const w = workspace(`version: 1\nname: q\nsteps:\n  - id: hello\n    run: echo hi-there\n`);
    const r = await runCli(['run', '--quiet', w.file], w.env);
    expect([r.code, r.stdout]).toEqual([0, '']);
    const [run] = await history(w.home);
    expect(readFileSync(join(run!.runDir, 'run.log'), 'utf8')).toMatch(
      /out id=hello stream=stdout \| hi-there/,
    );
  });
});
