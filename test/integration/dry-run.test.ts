import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const FILE = 'fixtures/dry-run/branch-on-output.yaml';
const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe('run --dry-run on a valid workflow', () => {
  it('never fails on values only a real run knows, and exits 0', async () => {
    const r = await runCli(['run', '--dry-run', '--output', 'plain', FILE]);
    expect(r.stderr).not.toMatch(/int\(\) expects/);
    expect(r.code).toBe(0);
    // Both arms of the unknown condition are shown, each marked with the condition it needs.
    expect(r.stdout).toMatch(
      /would-run id=purge .*cmd="echo purging at '<steps\.usage\.stdout>'%" if="int\(steps\.usage\.stdout\) > vars\.threshold"/,
    );
    expect(r.stdout).toMatch(
      /would-run .*cmd="echo fine" if="!\(int\(steps\.usage\.stdout\) > vars\.threshold\)"/,
    );
    expect(r.stdout).toMatch(/would-run id=report .* if=/);
    // Every line says it is a dry run; nothing says started or ok.
    for (const line of lines(r.stdout)) expect(line).toMatch(/^\S+ dry-run /);
    expect(r.stdout).not.toMatch(/step-start|status=ok/);
    // User-facing names only: never an internal path id such as steps.1.then.0.
    expect(r.stdout).not.toMatch(/id="?(steps|finally)\.\d/);
    // `return: 3` is what the real run would exit with on this path, and it is said as such.
    expect(r.stdout).toMatch(/run-end would_status=returned would_exit=3 exit=0/);
    expect(r.stdout).toMatch(/would-run id=tidy/);
  });

  it('names the unset secret as a warning, shows it as unknown, and does not fail', async () => {
    const r = await runCli(['run', '-n', '--output', 'plain', FILE], { CLEANUP_TOKEN: '' });
    expect(r.code).toBe(0);
    const unset = await runCli(['run', '-n', '--output', 'plain', FILE]);
    expect(unset.code).toBe(0);
    expect(unset.stderr).toMatch(/warning: secret CLEANUP_TOKEN not set/);
    expect(unset.stdout).toContain('<vars.auth>');
  });

  it('is said in the terminal view: a header, "would run", and the exit code of the path', async () => {
    const r = await runCli(['run', '-n', '--output', 'pretty', FILE], { CLEANUP_TOKEN: 'tok-t' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('DRY RUN: nothing runs');
    expect(r.stdout).toMatch(/▷ usage would run {2}echo 57/);
    expect(r.stdout).toMatch(/only if int\(steps\.usage\.stdout\) > vars\.threshold/);
    expect(r.stdout).not.toMatch(/✔|run ok/);
    expect(r.stdout).toMatch(/a real run on this path would exit 3; this dry run exits 0/);
  });

  it('carries dryRun in --json, every --events record and --junit', async () => {
    const dir = tempDir();
    const [json, events, junit] = ['r.json', 'e.ndjson', 'j.xml'].map((f) => join(dir, f)) as [
      string,
      string,
      string,
    ];
    const r = await runCli(['run', '-n', FILE, '--json', json, '--events', events, '--junit', junit], {
      CLEANUP_TOKEN: 'tok-t',
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ dryRun: true });
    const records = lines(readFileSync(events, 'utf8')).map((l) => JSON.parse(l) as { dryRun?: boolean });
    expect(records.length).toBeGreaterThan(3);
    for (const rec of records) expect(rec.dryRun).toBe(true);
    expect(readFileSync(junit, 'utf8')).toContain('<property name="dry_run" value="true"/>');
  });

  it('says when a real run on this path would alert (notify:), and does not alert', async () => {
    const dir = tempDir();
    const file = join(dir, 'wf.yaml');
    const mark = join(dir, 'alerted');
    writeFileSync(
      file,
      `version: 1\nsteps:\n  - run: echo deploy\n    return: 3\nnotify:\n  command: touch ${mark}\n`,
    );
    const plain = await runCli(['run', '-n', '--output', 'plain', file]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/run-end would_status=returned would_exit=3 exit=0 would_notify=command /);
    const pretty = await runCli(['run', '-n', '--output', 'pretty', file]);
    expect(pretty.stdout).toContain('and would alert (notify: command); this dry run does not');
    expect(existsSync(mark)).toBe(false);
    // What the dry run said is what a real run does.
    expect((await runCli(['run', file])).code).toBe(3);
    expect(existsSync(mark)).toBe(true);
    // A path that exits 0 does not alert on failure (the default `on`): nothing is said.
    writeFileSync(file, `version: 1\nsteps:\n  - run: echo deploy\nnotify:\n  command: touch ${mark}\n`);
    expect((await runCli(['run', '-n', '--output', 'plain', file])).stdout).not.toContain('would_notify');
  });

  it('exits 2 for an invalid file', async () => {
    const bad = join(tempDir(), 'bad.yaml');
    await import('node:fs').then((fs) =>
      fs.writeFileSync(bad, 'version: 1\nsteps:\n  - run: echo ${{ vars.nope }}\n'),
    );
    const r = await runCli(['run', '--dry-run', bad]);
    expect(r.code).toBe(2);
  });

  it('a real run of the same file is not a dry run', async () => {
    const json = join(tempDir(), 'r.json');
    const r = await runCli(['run', '--output', 'plain', FILE, '--json', json], { CLEANUP_TOKEN: 'tok-t' });
    expect(r.code).toBe(3);
    expect(r.stdout).not.toMatch(/ dry-run /);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ dryRun: false });
    expect(r.stdout).toContain('purging at 57%');
  });
});
