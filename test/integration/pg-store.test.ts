import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { box } from '../helpers/boxes.js';
import { collect, repoRoot, runCli, startCli, tempDir, waitForOutput } from '../helpers/cli.js';
import { pgClusterForFile } from '../helpers/pg-cluster.js';
import { freePort } from '../helpers/ports.js';
import type { HistoryRow, ShowJson } from './store-helpers.js';

/** The CLI on a PostgreSQL history: `--store`/`TASKER_STORE`, faults at start and mid-run, two boxes sharing it. */
const { reason, pg } = pgClusterForFile('PostgreSQL CLI tests');

function workflow(text: string): { dir: string; file: string } {
  const dir = tempDir('tasker-pgwf-');
  const file = join(dir, 'wf.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

async function json<T>(args: string[], env: Record<string, string>): Promise<T> {
  const r = await runCli([...args, '--json'], env);
  if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

describe.skipIf(reason !== undefined)('tasker on a PostgreSQL history (real throwaway cluster)', () => {
  it('unreachable at start: exit 2, one line naming host:port and the fix, no password, nothing ran', async () => {
    const port = await freePort();
    const url = `postgres://ops:hunter2-secret@127.0.0.1:${port}/tasker`;
    const w = workflow(`version: 1\nsteps:\n  - id: touch\n    run: touch ran-marker\n    cwd: .\n`);
    const marker = join(w.dir, 'ran-marker');
    for (const [args, env] of [
      [['run', w.file, '--store', url], {}],
      [['run', w.file], { TASKER_STORE: url }],
      [['history'], { TASKER_STORE: url }],
      [['show', 'last', '--store', url], {}],
    ] as const) {
      const r = await runCli(args, { ...env });
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `cannot reach the PostgreSQL history at 127\\.0\\.0\\.1:${port} .*ECONNREFUSED.*start the server`,
        ),
      );
      expect(r.stderr + r.stdout).not.toContain('hunter2');
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('a wrong password and a bad URL are refused before anything runs, the password masked', async () => {
    const w = workflow(`version: 1\nsteps:\n  - id: a\n    run: echo hi\n`);
    const wrong = pg.url.replace(pg.password, 'not-the-pw-xyz');
    const r = await runCli(['run', w.file, '--store', wrong]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot log in .*fix the user and password/);
    expect(r.stderr).not.toContain('not-the-pw-xyz');
    const bad = await runCli(['history', '--store', 'mysql://u:pw-zzz@h/db']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unsupported scheme "mysql:"/);
    expect(bad.stderr).not.toContain('pw-zzz');
  });

  it('two boxes share one history: history, show and logs on B read a run made on A', async () => {
    const url = pg.createDatabase();
    const a = box(url);
    const b = box(url);
    const w = workflow(
      `version: 1\nname: shared\nsteps:\n  - id: hello\n    run: echo hello-from-a; echo warn-from-a >&2\n  - id: boom\n    run: echo boom-out; echo boom-err >&2; exit 3\n`,
    );
    expect((await runCli(['run', w.file], a)).code).toBe(1);
    const [run] = await json<HistoryRow[]>(['history'], b);
    expect(run).toMatchObject({ status: 'failed', exitCode: 1, failedStep: 'boom' });
    // Box A is gone: its run directory with it. B reads what the history keeps.
    rmSync(a.TASKER_HOME, { recursive: true, force: true });
    const shown = await json<ShowJson>(['show', run!.id], b);
    expect(shown.steps.map((s) => [s.id, s.status, s.exitCode])).toEqual([
      ['hello', 'ok', 0],
      ['boom', 'failed', 3],
    ]);
    const text = await runCli(['show', run!.id], b);
    expect(text.stdout).toMatch(/--- boom \(failed\): last 1 lines of stderr ---\nboom-err/);
    const logs = await runCli(['logs', run!.id, 'hello'], b);
    expect([logs.code, logs.stdout, logs.stderr]).toEqual([0, 'hello-from-a\n', 'warn-from-a\n']);
    const all = await runCli(['logs', run!.id], b);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('--- hello@local ---\nhello-from-a\n--- boom@local ---\nboom-out\n');
    expect(all.stderr).toMatch(/the transcript of run .* is on /);
    // The installed bin is the esbuild bundle: it loads pg too.
    const bin = spawnSync(process.execPath, [join(repoRoot, 'dist/bundle/tasker.js'), 'history', '--json'], {
      env: { ...process.env, ...b },
      encoding: 'utf8',
    });
    expect(bin.status, bin.stderr).toBe(0);
    expect((JSON.parse(bin.stdout) as HistoryRow[]).map((r) => r.id)).toEqual([run!.id]);
    // A SQLite history on B (no TASKER_STORE) knows nothing of it.
    const local = await runCli(['show', run!.id], { TASKER_HOME: b.TASKER_HOME });
    expect(local.code).toBe(2);
  });

  it('the database restarted mid-run: the run goes on, says so, and the history has every step in order', async () => {
    const url = pg.createDatabase();
    const a = box(url);
    const dir = tempDir('tasker-pgfault-');
    const w = workflow(
      [
        'version: 1',
        'name: restart',
        'steps:',
        '  - id: before',
        '    run: echo before',
        '  - id: gate1',
        `    run: while [ ! -f ${dir}/go1 ]; do sleep 0.05; done; echo gate1`,
        '  - id: during',
        '    run: echo during-outage',
        '  - id: gate2',
        `    run: while [ ! -f ${dir}/go2 ]; do sleep 0.05; done; echo gate2`,
        '  - id: after',
        '    run: echo after',
        '',
      ].join('\n'),
    );
    const child = startCli(['run', w.file, '--output', 'plain'], a);
    const done = collect(child, 120_000);
    await waitForOutput(child, (t) => /gate1/.test(t));
    await new Promise((r) => setTimeout(r, 300));
    pg.stop();
    writeFileSync(join(dir, 'go1'), '');
    await waitForOutput(child, (t) => /gate2/.test(t), 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    pg.start();
    writeFileSync(join(dir, 'go2'), '');
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /warning: cannot write .*PostgreSQL history at 127\.0\.0\.1:\d+.*the run goes on; its events are kept in order/,
    );
    expect(r.stderr).toMatch(/answers again: the queued events are written/);
    expect(r.stderr).not.toContain(pg.password);
    const shown = await json<ShowJson>(['show', 'last'], a);
    expect(shown.run).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(shown.steps.map((s) => [s.id, s.status])).toEqual([
      ['before', 'ok'],
      ['gate1', 'ok'],
      ['during', 'ok'],
      ['gate2', 'ok'],
      ['after', 'ok'],
    ]);
  });

  it('the database down until the end: the run still ends with its own exit code, and says loudly what the history lacks', async () => {
    const url = pg.createDatabase();
    const a = box(url);
    const dir = tempDir('tasker-pgdown-');
    const w = workflow(
      `version: 1\nname: down\nsteps:\n  - id: gate\n    run: while [ ! -f ${dir}/go ]; do sleep 0.05; done\n  - id: lost\n    run: exit 5\n`,
    );
    const child = startCli(['run', w.file, '--output', 'plain'], { ...a, TASKER_STORE_WAIT: '2s' });
    const done = collect(child, 120_000);
    await waitForOutput(child, (t) => /gate/.test(t));
    await new Promise((r) => setTimeout(r, 300));
    pg.stop();
    try {
      writeFileSync(join(dir, 'go'), '');
      const r = await done;
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /warning: the run history postgres:\/\/tasker@127\.0\.0\.1:\d+\/\w+ lacks \d+ event\(s\) of run \S+, 2 of them step results: .*report\.json has the whole result/,
      );
      expect(r.stderr).not.toContain(pg.password);
    } finally {
      pg.start();
    }
    const shown = await json<ShowJson>(['show', 'last'], a);
    // What was written before the outage is there; the run is not shown as ended well.
    expect(shown.run.status).not.toBe('ok');
    expect(shown.steps.find((s) => s.id === 'lost')?.status ?? 'missing').not.toBe('failed');
  });
});
