import { cpSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';

const OLD = new Date('2001-01-01T00:00:00Z');
const FILES = ['app.conf', 'bin/run.sh'];

// A copy step without a host copies on this machine, relative paths from the workflow's directory.
describe('copy without a host (local)', () => {
  const dir = tempDir('tasker-local-copy-');
  cpSync(join(repoRoot, 'fixtures/ssh/copy-src'), join(dir, 'app'), { recursive: true });
  const wf = join(dir, 'w.yaml');
  writeFileSync(
    wf,
    'version: 1\nsteps:\n  - id: ship\n    copy: { src: app, dest: out/app/, mode: "0640" }\n  - id: one\n    copy: { src: app/app.conf, dest: out/single.conf }\n',
  );
  const env = { TASKER_STATE_HOME: join(dir, 'state') };

  async function run(): Promise<Record<string, boolean | undefined>> {
    const json = join(tempDir(), 'report.json');
    const r = await runCli(['validate', wf]);
    expect(r.code, r.stderr).toBe(0);
    const ran = await runCli(['run', wf, '--output', 'plain', '--json', json], env);
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    const steps = (JSON.parse(readFileSync(json, 'utf8')) as { steps: { id: string; changed?: boolean }[] })
      .steps;
    return Object.fromEntries(steps.map((s) => [s.id, s.changed]));
  }

  it('copies a tree and a file, applies the mode, and leaves matching files alone', async () => {
    expect(await run()).toEqual({ ship: true, one: true });
    for (const f of FILES) {
      const d = join(dir, 'out/app', f);
      expect(readFileSync(d, 'utf8')).toBe(readFileSync(join(dir, 'app', f), 'utf8'));
      expect(statSync(d).mode & 0o777).toBe(0o640);
      utimesSync(d, OLD, OLD);
    }
    expect(readFileSync(join(dir, 'out/single.conf'), 'utf8')).toBe(
      readFileSync(join(dir, 'app/app.conf'), 'utf8'),
    );
    expect(await run()).toEqual({ ship: false, one: false });
    for (const f of FILES) expect(statSync(join(dir, 'out/app', f)).mtime.getTime()).toBe(OLD.getTime());
    writeFileSync(join(dir, 'app/app.conf'), 'changed\n');
    expect((await run()).ship).toBe(true);
    expect(readFileSync(join(dir, 'out/app/app.conf'), 'utf8')).toBe('changed\n');
  });

  it('fails the step with a message naming the destination when it cannot be written', async () => {
    const d2 = tempDir('tasker-local-copy-bad-');
    mkdirSync(join(d2, 'taken'));
    writeFileSync(join(d2, 'f'), 'x');
    const w2 = join(d2, 'w.yaml');
    writeFileSync(w2, 'version: 1\nsteps:\n  - id: put\n    copy: { src: f, dest: taken }\n');
    const r = await runCli(['run', w2, '--output', 'plain'], { TASKER_STATE_HOME: join(d2, 'state') });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('is a directory; end dest with / to copy into it');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
