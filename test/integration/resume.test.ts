import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { history, show, stepOf, workspace } from './store-helpers.js';

// `make` prints a fresh value and counts its runs; `check` fails until $FIXED exists; `finish` runs last.
const WF = `version: 1
name: resumable
steps:
  - id: make
    run: echo "made-$$"; echo x >> "$COUNT"
  - id: check
    run: echo "\${{ steps.make.stdout }}" > "$SEEN"; test -f "$FIXED"
  - id: finish
    run: echo finished
`;

function setup() {
  const w = workspace(WF);
  const env = {
    ...w.env,
    COUNT: join(w.dir, 'count'),
    SEEN: join(w.dir, 'seen'),
    FIXED: join(w.dir, 'fixed'),
  };
  return { ...w, env };
}

describe('tasker run --resume', () => {
  it('runs only the unfinished steps and feeds them the earlier outputs', async () => {
    const w = setup();
    expect((await runCli(['run', w.file], w.env)).code).toBe(1);
    const firstSeen = readFileSync(w.env.SEEN, 'utf8');
    const [failed] = await history(w.home);
    writeFileSync(w.env.FIXED, '');
    const r = await runCli(['run', '--resume', w.file], w.env);
    expect(r.code).toBe(0);
    expect(readFileSync(w.env.COUNT, 'utf8')).toBe('x\n');
    expect(readFileSync(w.env.SEEN, 'utf8')).toBe(firstSeen);
    const resumed = await show(w.home);
    expect(resumed.run.resumedFrom).toBe(failed!.id);
    expect(stepOf(resumed, 'make')).toMatchObject({ status: 'ok', note: `reused from run ${failed!.id}` });
    expect(stepOf(resumed, 'check')?.status).toBe('ok');
    expect(stepOf(resumed, 'finish')?.status).toBe('ok');
  });

  it('takes an explicit run id prefix; a named run that succeeded is refused (exit 2)', async () => {
    const w = setup();
    await runCli(['run', w.file], w.env);
    const [failed] = await history(w.home);
    writeFileSync(w.env.FIXED, '');
    expect((await runCli(['run', w.file, '--resume', failed!.id.slice(0, 20)], w.env)).code).toBe(0);
    const [ok] = await history(w.home);
    const named = await runCli(['run', w.file, '--resume', ok!.id], w.env);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('nothing to resume');
  });

  it('in a crontab: after a success, --resume starts a normal run and says so in one line', async () => {
    const w = setup();
    writeFileSync(w.env.FIXED, '');
    expect((await runCli(['run', w.file], w.env)).code).toBe(0);
    const again = await runCli(['run', '--resume', '--output', 'plain', w.file], w.env);
    expect(again.code).toBe(0);
    const notice = again.stderr.split('\n').filter(Boolean);
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatch(
      /^tasker: nothing to resume: the last run \S+ ended ok; starting a normal run$/,
    );
    // A normal run: `make` ran again.
    expect(readFileSync(w.env.COUNT, 'utf8')).toBe('x\nx\n');
    expect((await history(w.home)).map((r) => [r.status, r.resumedFrom])).toEqual([
      ['ok', null],
      ['ok', null],
    ]);
    // --quiet prints nothing at all on success, the notice included.
    const quiet = await runCli(['run', '--resume', '-q', w.file], w.env);
    expect(quiet).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('a changed file: a named run is refused unless --force; the default starts a normal run', async () => {
    const w = setup();
    await runCli(['run', w.file], w.env);
    const [failed] = await history(w.home);
    appendFileSync(w.file, '# edited\n');
    const refused = await runCli(['run', '--resume', failed!.id, w.file], w.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('changed since run');
    expect(readFileSync(w.env.COUNT, 'utf8')).toBe('x\n');
    const fresh = await runCli(['run', '--resume', w.file], w.env);
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toContain(`changed since run ${failed!.id}: starting a normal run`);
    expect(readFileSync(w.env.COUNT, 'utf8')).toBe('x\nx\n');
    writeFileSync(w.env.FIXED, '');
    expect((await runCli(['run', w.file, '--resume', failed!.id, '--force'], w.env)).code).toBe(0);
    expect(readFileSync(w.env.COUNT, 'utf8')).toBe('x\nx\n');
  });

  it('with nothing recorded, --resume is a normal run; an unknown run id is exit 2', async () => {
    const w = setup();
    writeFileSync(w.env.FIXED, '');
    const r = await runCli(['run', '--resume', w.file], w.env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('nothing to resume: no recorded run');
    const unknown = await runCli(['run', '--resume', '20990101T000000Z-ffffff', w.file], w.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no run has that id');
  });
});

describe('tasker run --start-from', () => {
  it('skips the top-level steps before STEP (reason start-from) and refuses an unknown step', async () => {
    const w = setup();
    writeFileSync(w.env.FIXED, '');
    const r = await runCli(['run', '--start-from', 'finish', w.file], w.env);
    expect(r.code).toBe(0);
    const s = await show(w.home);
    expect(stepOf(s, 'make')).toMatchObject({ status: 'skipped', skipReason: 'start-from' });
    expect(stepOf(s, 'check')).toMatchObject({ status: 'skipped', skipReason: 'start-from' });
    expect(stepOf(s, 'finish')?.status).toBe('ok');
    const bad = await runCli(['run', '--start-from', 'nope', w.file], w.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('top-level steps are: make, check, finish');
  });
});
