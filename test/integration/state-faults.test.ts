import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, runCli, startCli, tempDir, type CliResult } from '../helpers/cli.js';
import { canMount, mountTmpfs, type TmpMount } from '../helpers/mounts.js';
import { workspace } from './store-helpers.js';

/** A workflow that leaves a marker file when its step runs, and fails with exit 1 (its own code). */
function marking(dir: string, exit = 0) {
  const marker = join(dir, 'ran');
  return {
    marker,
    yaml: `version: 1\nname: mark\nsteps:\n  - id: mark\n    run: touch ${marker}; exit ${exit}\n`,
  };
}

/** One line on stderr naming `path`, no stack trace. */
function expectOneLineFault(r: CliResult, path: string, fix: RegExp): void {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(path);
  expect(lines[0]).toMatch(fix);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('schema creation under concurrency', () => {
  // Three rounds: one race per fresh home, and the unsafe migration lost it about one time in five.
  it('10 different workflows started at once on a fresh state home all succeed (3 rounds)', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = tempDir();
      const home = join(dir, 'home');
      const children = Array.from({ length: 10 }, (_, i) => {
        const file = join(dir, `w${i}.yaml`);
        writeFileSync(file, `version: 1\nname: w${i}\nsteps:\n  - id: a\n    run: echo ${i}\n`);
        return startCli(['run', file], { TASKER_HOME: home });
      });
      const results = await Promise.all(children.map((c) => collect(c, 50_000)));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const db = new Database(join(home, 'history.db'), { readonly: true });
      expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 10 });
      db.close();
    }
  }, 160_000);
});

describe('a damaged, newer or unwritable history', () => {
  it('a garbage history.db: one line naming it and the fix, exit 2, nothing ran', async () => {
    const w = workspace('');
    const m = marking(w.dir);
    writeFileSync(w.file, m.yaml);
    mkdirSync(w.home);
    writeFileSync(join(w.home, 'history.db'), Buffer.alloc(8192, 0x5a));
    const r = await runCli(['run', w.file], w.env);
    expect(r.code).toBe(2);
    expectOneLineFault(r, join(w.home, 'history.db'), /not a SQLite database.*move it aside.*nothing ran/);
    expect(existsSync(m.marker)).toBe(false);
  });

  it('a truncated history.db is reported as damaged, not as a bug', async () => {
    const w = workspace('');
    writeFileSync(w.file, marking(w.dir).yaml);
    expect((await runCli(['run', w.file], w.env)).code).toBe(0);
    const file = join(w.home, 'history.db');
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.exec(`CREATE TABLE pad (x TEXT);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
      INSERT INTO pad SELECT hex(randomblob(500)) FROM n;`);
    db.close();
    const { truncateSync } = await import('node:fs');
    truncateSync(file, 12_288);
    const r = await runCli(['run', w.file], w.env);
    expect(r.code).toBe(2);
    expectOneLineFault(r, file, /damaged|not a SQLite database/);
  });

  it('a history from a newer tasker is refused (run and history), naming the file', async () => {
    const w = workspace('');
    writeFileSync(w.file, marking(w.dir).yaml);
    expect((await runCli(['run', w.file], w.env)).code).toBe(0);
    const db = new Database(join(w.home, 'history.db'));
    db.pragma('user_version = 99');
    db.close();
    const r = await runCli(['run', w.file], w.env);
    expect(r.code).toBe(2);
    expectOneLineFault(r, join(w.home, 'history.db'), /version 99 is newer.*upgrade tasker/);
    const h = await runCli(['history'], w.env);
    expect(h.code).toBe(2);
    expectOneLineFault(h, join(w.home, 'history.db'), /upgrade tasker/);
  });
});

describe('report paths are checked before the first step', () => {
  for (const flag of ['--json', '--junit', '--events']) {
    it(`${flag} into a missing directory: exit 2, nothing ran`, async () => {
      const w = workspace('');
      const m = marking(w.dir);
      writeFileSync(w.file, m.yaml);
      const target = join(w.dir, 'missing', 'out.file');
      const r = await runCli(['run', w.file, flag, target], w.env);
      expect(r.code).toBe(2);
      expectOneLineFault(
        r,
        join(w.dir, 'missing'),
        new RegExp(`^tasker: ${flag}: .*create the directory first`),
      );
      expect(existsSync(m.marker)).toBe(false);
    });
  }

  it('a report path that is a directory: exit 2, nothing ran', async () => {
    const w = workspace('');
    const m = marking(w.dir);
    writeFileSync(w.file, m.yaml);
    const r = await runCli(['run', w.file, '--json', w.dir], w.env);
    expect(r.code).toBe(2);
    expectOneLineFault(r, w.dir, /directory/);
    expect(existsSync(m.marker)).toBe(false);
  });
});

describe.skipIf(!canMount())('real full and read-only filesystems', () => {
  let mounts: TmpMount[] = [];
  const mount = (kib: number) => {
    const m = mountTmpfs(kib);
    mounts.push(m);
    return m;
  };
  afterEach(() => {
    for (const m of mounts) m.unmount();
    mounts = [];
  });

  it('a full state home before the run: one line, exit 2, nothing ran', async () => {
    const fs = mount(256);
    fs.fill();
    const w = workspace('');
    const m = marking(w.dir);
    writeFileSync(w.file, m.yaml);
    const r = await runCli(['run', w.file], { TASKER_HOME: join(fs.dir, 'home') });
    expect(r.code).toBe(2);
    expectOneLineFault(r, fs.dir, /no space left on device.*(TASKER_HOME|prune)/);
    expect(existsSync(m.marker)).toBe(false);
  });

  it('a read-only state home: one line, exit 2, nothing ran', async () => {
    const fs = mount(1024);
    const w = workspace('');
    const m = marking(w.dir);
    writeFileSync(w.file, m.yaml);
    const home = join(fs.dir, 'home');
    expect((await runCli(['run', w.file], { TASKER_HOME: home })).code).toBe(0);
    const { rmSync } = await import('node:fs');
    rmSync(m.marker);
    fs.readOnly();
    const r = await runCli(['run', w.file], { TASKER_HOME: home });
    expect(r.code).toBe(2);
    expectOneLineFault(r, home, /read-only|writable/);
    expect(existsSync(m.marker)).toBe(false);
    const fresh = await runCli(['run', w.file], { TASKER_HOME: join(fs.dir, 'other') });
    expect(fresh.code).toBe(2);
    expectOneLineFault(fresh, join(fs.dir, 'other'), /read-only filesystem \(EROFS\)/);
  });

  it('--json onto a full disk after the run: said on stderr, the run keeps its exit code', async () => {
    const fs = mount(256);
    const w = workspace('');
    const m = marking(w.dir, 5);
    writeFileSync(w.file, m.yaml.replace('id: mark', 'id: mark\n    failure_exit: 5'));
    fs.fill();
    const r = await runCli(
      ['run', w.file, '--json', join(fs.dir, 'r.json'), '--junit', join(fs.dir, 'r.xml')],
      w.env,
    );
    expect(existsSync(m.marker)).toBe(true);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/cannot write the JSON report .*r\.json: no space left on device \(ENOSPC\)/);
    expect(r.stderr).toMatch(/cannot write the JUnit report .*r\.xml: no space left on device/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('the state home fills up during the run: warnings name the files, the run keeps its exit code', async () => {
    const fs = mount(2048);
    const w = workspace(
      `version: 1\nname: fill\nsteps:\n  - id: fill\n    run: echo start; sleep 1; dd if=/dev/zero of=${fs.dir}/filler bs=64k 2>/dev/null; true\n`,
    );
    const r = await runCli(['run', w.file], { TASKER_HOME: join(fs.dir, 'home') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /cannot write the run report .*report\.json: no space left on device \(ENOSPC\)/,
    );
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    const runs = readdirSync(join(fs.dir, 'home', 'runs'));
    expect(runs).toHaveLength(1);
  });
});
