import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { box } from '../helpers/boxes.js';
import { runCli } from '../helpers/cli.js';
import { pgClusterForFile } from '../helpers/pg-cluster.js';
import { history, workspace } from './store-helpers.js';

/*
 * `--resume` on another box: the failed run's output files are on the box that ran it; the resumed
 * run must see the reused steps' output as the store keeps it, not as empty.
 */
const { reason, pg } = pgClusterForFile('PostgreSQL tests');

// `fetch` prints a token and 1.5 MiB (more than the store keeps whole: it keeps head and tail).
const WF = `version: 1
name: handoff
steps:
  - id: fetch
    run: |
      echo "token=abc123"
      i=0; while [ $i -lt 3000 ]; do printf '%0511d\\n' $i; i=$((i+1)); done
      echo "last-line"
  - id: use
    run: >-
      test "$FAIL" != 1 && echo "saw \${{ lines(steps.fetch.stdout)[0] }} \${{ lines(steps.fetch.stdout)[-1] }}
      bytes=\${{ steps.fetch.stdout_bytes }} chars=\${{ len(steps.fetch.stdout) }} lines=\${{ len(lines(steps.fetch.stdout)) }}
      mid=\${{ int(lines(steps.fetch.stdout)[1000]) }},\${{ int(lines(steps.fetch.stdout)[-1000]) }}
      cut=\${{ lines(steps.fetch.stdout)[1024] }}"
`;

const saw = (stdout: string) => /\| (saw .*)/.exec(stdout)?.[1];

describe.skipIf(reason !== undefined)('--resume on another box of one PostgreSQL store', () => {
  it("sees the reused steps' output exactly as the box that has the files does", async () => {
    const store = pg.createDatabase();
    const w = workspace(WF);
    const boxA = box(store);
    const boxB = box(store);
    expect((await runCli(['run', '--output', 'plain', w.file], { ...boxA, FAIL: '1' })).code).toBe(1);
    const [failed] = await history(boxB);
    const resume = ['run', '--output', 'plain', w.file, '--resume', failed!.id];
    const onA = await runCli(resume, boxA);
    expect(onA.code).toBe(0);
    // Box A's files are not on box B.
    rmSync(failed!.runDir, { recursive: true, force: true });
    const onB = await runCli(resume, boxB);
    expect(onB.stderr).toBe('');
    expect(onB.code).toBe(0);
    expect(onB.stdout).toMatch(/step-end id=fetch .*reused from run/);
    expect(saw(onA.stdout)).toMatch(
      /^saw token=abc123 last-line bytes=1536023 chars=\d+ lines=\d+ mid=999,2001 cut=\[tasker: \d+ bytes/,
    );
    expect(saw(onB.stdout)).toBe(saw(onA.stdout));
  });
});
