import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { workspace } from './store-helpers.js';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** Every file under `dir`, recursively, with its mode. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(e.parentPath, e.name);
    out[path.slice(dir.length + 1)] = mode(path);
  }
  return out;
}

describe('the state home and every file holding output is private', () => {
  it('directories 0700, files 0600, under the default umask 022', async () => {
    const w = workspace(`version: 1
name: private
notify:
  on: always
  command: echo notified
steps:
  - id: show
    run: echo secret-output; echo err >&2; for f in "$TASKER_HOME"/locks/*; do stat -c '%a lock' "$f"; done
`);
    const reports = join(w.dir, 'reports');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(reports);
    const r = await runCli(
      [
        'run',
        w.file,
        '--json',
        join(reports, 'r.json'),
        '--junit',
        join(reports, 'r.xml'),
        '--events',
        join(reports, 'e.ndjson'),
      ],
      w.env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(process.umask() & 0o077).not.toBe(0o077);
    // The lock file, seen by the step while the run holds it.
    expect(r.stdout).toContain('600 lock');
    expect(mode(w.home)).toBe('700');
    const all = modes(w.home);
    const files = Object.entries(all).filter(([p]) => !statSync(join(w.home, p)).isDirectory());
    const dirs = Object.entries(all).filter(([p]) => statSync(join(w.home, p)).isDirectory());
    expect(files.map(([p]) => p.replace(/runs\/[^/]+\//, 'runs/RUN/')).sort()).toEqual(
      expect.arrayContaining([
        'history.db',
        'runs/RUN/events.ndjson',
        'runs/RUN/notify.log',
        'runs/RUN/report.json',
        'runs/RUN/run.log',
        'runs/RUN/show.stderr',
        'runs/RUN/show.stdout',
        'runs/RUN/workflow.yaml',
      ]),
    );
    for (const [p, m] of files) expect([p, m]).toEqual([p, '600']);
    for (const [p, m] of dirs) expect([p, m]).toEqual([p, '700']);
    for (const f of readdirSync(reports)) expect([f, mode(join(reports, f))]).toEqual([f, '600']);
  });

  it('the history and its -wal/-shm files are 0600 while a run writes them', async () => {
    const w = workspace(`version: 1
name: wal
steps:
  - id: look
    run: stat -c '%a %n' "$TASKER_HOME"/history.db*
`);
    const r = await runCli(['run', w.file], w.env);
    expect(r.code, r.stderr).toBe(0);
    const seen = [...r.stdout.matchAll(/(\d{3}) \S*(history\.db\S*)/g)].map((m) => [m[2], m[1]]);
    expect(seen.map(([f]) => f)).toEqual(
      expect.arrayContaining(['history.db', 'history.db-wal', 'history.db-shm']),
    );
    for (const s of seen) expect(s[1], s[0]).toBe('600');
  });
});
