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

  it('takes an explicit run id prefix, and refuses once the last run succeeded', async () => {
    const w = setup();
    await runCli(['run', w.file], w.env);
    const [failed] = await history(w.home);
    writeFileSync(w.env.FIXED, '');
    expect((await runCli(['run', w.file, '--resume', failed!.id.slice(0, 20)], w.env)).code).toBe(0);
    const again = await runCli(['run', '--resume', w.file], w.env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('nothing to resume');
  });

  it('refuses (exit 2, with the reason) when the file changed, unless --force', async () => {
    const w = setup();
    await runCli(['run', w.file], w.env);
    appendFileSync(w.file, '# edited\n');
    writeFileSync(w.env.FIXED, '');
    const refused = await runCli(['run', '--resume', w.file], w.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('changed since run');
    expect(readFileSync(w.env.COUNT, 'utf8')).toBe('x\n');
    expect((await runCli(['run', '--resume', w.file, '--force'], w.env)).code).toBe(0);
    expect(readFileSync(w.env.COUNT, 'utf8')).toBe('x\n');
  });

  it('refuses when there is nothing recorded to resume', async () => {
    const w = setup();
    const r = await runCli(['run', '--resume', w.file], w.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no recorded run');
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
